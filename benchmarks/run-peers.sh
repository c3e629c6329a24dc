#!/usr/bin/env bash
# Compares this library with TorchSharp (libtorch CPU) on the benchmark autoencoders and prints a
# markdown report on standard output (progress goes to standard error).
#
#   benchmarks/run-peers.sh                       # M1, M2, M3; 1 timed epoch each; threads = cores
#   benchmarks/run-peers.sh --epochs 2 --models M1,M2
#   benchmarks/run-peers.sh --models M4           # the convolutional one, at batch 128 and 256
#   benchmarks/run-peers.sh > peers.md            # keep only the report
#
# Every argument goes to the benchmark (see --help). Installs what it needs first: jemalloc
# (Debian's libjemalloc2, preloaded for the second TorchSharp column) and, unless
# AUTOENCODER_NO_DATASET=1, the Fashion-MNIST images (dataset-fashion-mnist); without them the
# benchmark trains on generated shapes.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
fashion=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

packages=()
[ -e "$jemalloc" ] || packages+=(libjemalloc2)
[ -e "$fashion" ] || [ "${AUTOENCODER_NO_DATASET:-0}" = 1 ] || packages+=(dataset-fashion-mnist)
if [ "${#packages[@]}" -gt 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${packages[*]}" >&2
  {
    as_root apt-get update -qq &&
    # One package at a time: a missing dataset package must not keep jemalloc out.
    for package in "${packages[@]}"; do
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" || echo "could not install $package" >&2
    done
  } >&2 || echo "apt-get failed; going on with what is installed" >&2
fi
[ -e "$jemalloc" ] || echo "no $jemalloc: the jemalloc column will be n/a" >&2

dotnet build benchmarks/Autoencoder.Benchmarks.Peers -c Release -v quiet -nologo >&2
exec dotnet run -c Release --no-build --project benchmarks/Autoencoder.Benchmarks.Peers -- --jemalloc "$jemalloc" "$@"
