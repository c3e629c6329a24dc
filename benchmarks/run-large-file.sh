#!/usr/bin/env bash
# Trains and scores a benchmark autoencoder from a file of about 6 GB of float32 rows (Fashion-MNIST's
# training images repeated with seeded noise) and compares with the same model on the images held in
# memory. Each stage runs in its own process and prints its peak resident memory.
#
#   benchmarks/run-large-file.sh                 # M2, 1,920,000 rows (6.0 GB) in /tmp
#   benchmarks/run-large-file.sh M3 /data/big.idx 500000
#
# The file is written once and kept (delete it yourself); it needs that much free disk space.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

model="${1:-M2}"
file="${2:-/tmp/autoencoder-large.idx}"
rows="${3:-1920000}"

fashion=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
if [ ! -e "$fashion" ] && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dataset-fashion-mnist >&2 || true
fi

project=benchmarks/Autoencoder.Benchmarks.Data
dotnet build "$project" -c Release >&2
bench="dotnet $project/bin/Release/net10.0/Autoencoder.Benchmarks.Data.dll"

[ -e "$file" ] || $bench write "$file" "$rows"
$bench memory "$model"
$bench file "$model" "$file"
$bench interleaved "$model" "$file"
$bench score-memory "$model"
$bench score "$model" "$file"
