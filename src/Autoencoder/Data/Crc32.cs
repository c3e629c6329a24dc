namespace Autoencoder.Data;

/// <summary>
/// CRC-32 as gzip, zip and PNG use it (ISO-HDLC: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), for checking gzip trailers without a dependency. <see cref="Append"/>
/// takes eight bytes a step with eight tables ("slicing by 8"); <see cref="Reference"/> is the
/// textbook one-table loop it must agree with.
/// </summary>
internal static class Crc32
{
    /// <summary>The running value before any byte: pass it to the first <see cref="Append"/>.</summary>
    public const uint Initial = 0xFFFFFFFF;

    private const uint Polynomial = 0xEDB88320;

    /// <summary>Table k maps a byte to the CRC of that byte followed by k zero bytes.</summary>
    private static readonly uint[][] Tables = CreateTables();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>The final value of a running CRC.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>Extends the running value <paramref name="crc"/> by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        uint[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint low = crc ^ (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
            crc = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
        }

        for (; i < data.Length; i++)
        {
            crc = t0[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>Scalar reference for <see cref="Compute"/>: one byte, one table lookup at a time.</summary>
    public static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = Initial;
        foreach (byte b in data)
        {
            crc = Tables[0][(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return Finish(crc);
    }

    private static uint[][] CreateTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            tables[0][n] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            tables[k] = new uint[256];
            for (int n = 0; n < 256; n++)
            {
                uint previous = tables[k - 1][n];
                tables[k][n] = tables[0][previous & 0xFF] ^ (previous >> 8);
            }
        }

        return tables;
    }
}
