using Autoencoder.Model;

namespace Autoencoder.Optimizers;

/// <summary>
/// How every optimizer's state is laid out as named entries for a checkpoint, and the checks they
/// share: <c>optimizer_steps</c> (the step count), <c>optimizer_state</c> (the names of the
/// per-parameter buffers the optimizer keeps, comma-separated in ordinal order, empty for none,
/// declared so that a file missing one is refused) and one tensor per buffer, one value per
/// parameter. What the values may be is each optimizer's own check (<see cref="Adam.CheckState"/>,
/// <see cref="Sgd.CheckState"/>).
/// </summary>
internal static class OptimizerState
{
    private const string StepsKey = "optimizer_steps";
    private const string DeclarationKey = "optimizer_state";

    /// <summary>Every buffer an optimizer of this library keeps, in ordinal order.</summary>
    private static readonly string[] BufferNames = [.. Adam.BufferNames.Concat(Sgd.BufferNames).Order(StringComparer.Ordinal)];

    /// <summary>Writes the step count, the declaration and <paramref name="buffers"/> (the live arrays) to <paramref name="state"/>.</summary>
    public static void Save(NamedState state, long steps, params ReadOnlySpan<(string Name, float[] Values)> buffers)
    {
        state.SetLong(StepsKey, steps);
        var names = new string[buffers.Length];
        for (int i = 0; i < buffers.Length; i++)
        {
            names[i] = buffers[i].Name;
            state.SetTensor(buffers[i].Name, buffers[i].Values);
        }

        state.SetText(DeclarationKey, string.Join(",", names.Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Checks an optimizer's state before the optimizer is known (when a checkpoint is loaded): the
    /// declaration names known buffers in ordinal order, each once; exactly the declared buffers are
    /// present; the step count is at most <paramref name="samplesSeen"/>, since every step takes at
    /// least one sample; and each optimizer finds the values of its buffers possible.
    /// </summary>
    /// <exception cref="ModelFormatException">Any of that does not hold; the message says which.</exception>
    public static void Check(NamedState state, long samplesSeen)
    {
        long steps = state.GetLong(StepsKey);
        if (steps > samplesSeen)
        {
            throw new ModelFormatException(Invariant($"Metadata '{StepsKey}' must be in [0, {samplesSeen}] (one step takes at least one of the {samplesSeen} samples seen); got {steps}."));
        }

        string[] declared = Declared(state);
        foreach (string name in BufferNames)
        {
            bool present = state.HasTensor(name);
            if (present != declared.Contains(name))
            {
                throw new ModelFormatException(present
                    ? Invariant($"Tensor '{name}' is present but metadata '{DeclarationKey}' does not declare it.")
                    : Invariant($"Tensor '{name}' is missing; metadata '{DeclarationKey}' declares it."));
            }
        }

        Adam.CheckState(state, steps);
        Sgd.CheckState(state, steps);
    }

    /// <summary>
    /// The step count of a state that holds exactly the buffers <paramref name="names"/> (an
    /// optimizer's own, in ordinal order), each of <paramref name="length"/> values.
    /// </summary>
    /// <exception cref="ModelFormatException">The state holds other buffers (the options fingerprint matched, so the file is wrong) or buffers of another length.</exception>
    public static long Expect(NamedState state, IReadOnlyList<string> names, int length)
    {
        string[] declared = Declared(state);
        if (!declared.SequenceEqual(names))
        {
            throw new ModelFormatException(
                Invariant($"The checkpoint holds optimizer state [{string.Join(", ", declared)}] but the optimizer of the run its options fingerprint names keeps [{string.Join(", ", names)}]: the file is inconsistent."));
        }

        foreach (string name in names)
        {
            float[] values = state.GetTensor(name);
            if (values.Length != length)
            {
                throw new ModelFormatException(Invariant($"Tensor '{name}' must hold {length} values, one per parameter; got {values.Length}."));
            }
        }

        return state.GetLong(StepsKey);
    }

    /// <summary>The first index of <paramref name="values"/> that is not 0, or −1: before the first step every buffer is still zero.</summary>
    public static int FirstNonZero(float[] values) => Array.FindIndex(values, v => v != 0);

    /// <summary>The buffers <c>optimizer_state</c> declares.</summary>
    private static string[] Declared(NamedState state)
    {
        string declared = state.GetText(DeclarationKey);
        string[] names = declared.Length == 0 ? [] : declared.Split(',');
        if (names.Any(n => !BufferNames.Contains(n)) || !names.SequenceEqual(names.Distinct().Order(StringComparer.Ordinal)))
        {
            throw new ModelFormatException(Invariant($"Metadata '{DeclarationKey}' must list optimizer state tensors from {string.Join(", ", BufferNames)}, in ordinal order, each once; got '{ShownText.Of(declared)}'."));
        }

        return names;
    }
}
