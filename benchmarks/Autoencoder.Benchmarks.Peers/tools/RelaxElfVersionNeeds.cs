// Compiled by MSBuild's RoslynCodeTaskFactory (see RelaxElfVersionNeeds.targets), so it keeps to
// the netstandard 2.0 surface: byte arrays and explicit little-endian reads, no spans.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks chosen symbol-version requirements of ELF shared libraries as weak (VER_FLG_WEAK in the
/// vna_flags of their Vernaux entry in .gnu.version_r). The dynamic loader then accepts the
/// library even when the named version is missing from the system library, as long as no
/// relocation actually binds a symbol of that version. Each file is rewritten through a copy
/// that replaces it, so a hard link into a package cache is never written through.
/// </summary>
public sealed class RelaxElfVersionNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>The shared libraries to examine; files that do not need any listed version are left alone.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    /// <summary>The version names to make optional, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string[] Versions { get; set; } = new string[0];

    /// <summary>The files that were changed by this run.</summary>
    [Output]
    public ITaskItem[] Relaxed { get; set; } = new ITaskItem[0];

    public override bool Execute()
    {
        var changed = new List<ITaskItem>();
        var wanted = new HashSet<string>(Versions, StringComparer.Ordinal);
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                List<string> relaxed = Relax(bytes, wanted, path);
                if (relaxed.Count == 0)
                {
                    continue;
                }

                ReplaceContents(path, bytes);
                changed.Add(item);
                Log.LogMessage(MessageImportance.High, "{0}: version need {1} marked weak", path, string.Join(", ", relaxed));
            }
            catch (InvalidDataException e)
            {
                Log.LogError("{0}: {1}", path, e.Message);
            }
        }

        Relaxed = changed.ToArray();
        return !Log.HasLoggedErrors;
    }

    /// <summary>Sets the weak flag on every wanted version need that lacks it; returns their names.</summary>
    private static List<string> Relax(byte[] elf, HashSet<string> wanted, string path)
    {
        var relaxed = new List<string>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            return relaxed; // not an ELF file (a linker script, say): nothing to do
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        }

        ulong sectionTable = U64(elf, 0x28);
        ushort sectionEntrySize = U16(elf, 0x3a);
        ushort sectionCount = U16(elf, 0x3c);
        for (int s = 0; s < sectionCount; s++)
        {
            int header = Offset(elf, sectionTable + (ulong)s * sectionEntrySize, 64);
            if (U32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            int needs = Offset(elf, U64(elf, header + 0x18), 16);
            uint needCount = U32(elf, header + 0x2c); // sh_info: number of Verneed entries
            int linkHeader = Offset(elf, sectionTable + (ulong)U32(elf, header + 0x28) * sectionEntrySize, 64);
            int strings = Offset(elf, U64(elf, linkHeader + 0x18), 1);

            int need = needs;
            for (uint n = 0; n < needCount; n++)
            {
                ushort auxCount = U16(elf, need + 2);
                int aux = Offset(elf, (ulong)need + U32(elf, need + 8), 16);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = CString(elf, strings + (int)U32(elf, aux + 8));
                    ushort flags = U16(elf, aux + 4);
                    if (wanted.Contains(name) && (flags & VerFlagWeak) == 0)
                    {
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        relaxed.Add(name);
                    }

                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux = Offset(elf, (ulong)aux + nextAux, 16);
                }

                uint nextNeed = U32(elf, need + 12);
                if (nextNeed == 0)
                {
                    break;
                }

                need = Offset(elf, (ulong)need + nextNeed, 16);
            }
        }

        return relaxed;
    }

    private static void ReplaceContents(string path, byte[] bytes)
    {
        // Copy first so the new file keeps the old one's permissions, then swap it in.
        string temporary = path + ".relaxing";
        File.Copy(path, temporary, overwrite: true);
        File.WriteAllBytes(temporary, bytes);
        File.Delete(path);
        File.Move(temporary, path);
    }

    private static int Offset(byte[] elf, ulong offset, int length)
    {
        if (offset > (ulong)elf.Length || (ulong)elf.Length - offset < (ulong)length)
        {
            throw new InvalidDataException("offset " + offset + " lies outside the file (" + elf.Length + " bytes)");
        }

        return (int)offset;
    }

    private static string CString(byte[] elf, int start)
    {
        int end = start;
        while (end < elf.Length && elf[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    private static ushort U16(byte[] b, int i) => (ushort)(b[i] | (b[i + 1] << 8));

    private static uint U32(byte[] b, int i) => (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));

    private static ulong U64(byte[] b, int i) => U32(b, i) | ((ulong)U32(b, i + 4) << 32);
}
