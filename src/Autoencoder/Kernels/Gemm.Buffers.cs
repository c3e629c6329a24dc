namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Per-thread packing buffers, allocated once per thread at the size of the largest
    /// blocking of any path and reused by every later product, so products allocate nothing
    /// in steady state. Pinned, so the kernels can hold raw pointers; 64-byte aligned, so
    /// packed B rows never straddle a cache line.
    /// </summary>
    private sealed unsafe class PackBuffers
    {
        /// <summary>Floats past the end of each buffer that full-width packing stores may touch.</summary>
        private const int Slack = 64;

        private const int Alignment = 64;

        [ThreadStatic]
        private static PackBuffers? current;

        // Held only to keep the pinned arrays alive; the pointers below point into them.
        private readonly float[] storageA;
        private readonly float[] storageB;

        private PackBuffers()
        {
            int sizeA = 0, sizeB = 0;
            foreach (GemmPath path in (ReadOnlySpan<GemmPath>)[GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar])
            {
                Blocking blocking = BlockingOf(path);
                sizeA = Math.Max(sizeA, RoundUp(blocking.Mc, blocking.Mr) * blocking.Kc);
                sizeB = Math.Max(sizeB, RoundUp(blocking.Nc, blocking.Nr) * blocking.Kc);
            }

            storageA = GC.AllocateUninitializedArray<float>(sizeA + Slack + Alignment / sizeof(float), pinned: true);
            storageB = GC.AllocateUninitializedArray<float>(sizeB + Slack + Alignment / sizeof(float), pinned: true);
            A = Align(storageA);
            B = Align(storageB);
        }

        /// <summary>Packed block of op(A).</summary>
        public float* A { get; }

        /// <summary>Packed block of op(B).</summary>
        public float* B { get; }

        public static PackBuffers ForCurrentThread() => current ??= new PackBuffers();

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        private static float* Align(float[] pinned)
        {
            fixed (float* p = pinned)
            {
                // The array is pinned for its lifetime, so the address stays valid after fixed.
                return (float*)(((nint)p + Alignment - 1) & ~(nint)(Alignment - 1));
            }
        }
    }
}
