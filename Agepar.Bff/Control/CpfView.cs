using Agepar.Bff.Auth;
using Agepar.Data.Protection;
using Npgsql;

namespace Agepar.Bff.Control;

/// <summary>
/// The actor CPF of a panel row or export line as the reader may see it (<see cref="CpfDisclosure"/>: administrators
/// in clear, the other panel roles masked): the query selects the ciphertext and the blind index side by side.
/// </summary>
internal sealed class CpfView(CurrentUser viewer, CpfProtector protector)
{
    /// <summary>The CPF from the ciphertext at <paramref name="cipherOrdinal"/> and the blind index right after it.</summary>
    public string? Read(NpgsqlDataReader reader, int cipherOrdinal) =>
        reader.IsDBNull(cipherOrdinal)
            ? null
            : CpfDisclosure.For(viewer, reader.GetFieldValue<byte[]>(cipherOrdinal), reader.GetFieldValue<byte[]>(cipherOrdinal + 1), protector);

    /// <summary>The CPF from its ciphertext and blind index, read by name (null when the row has none).</summary>
    public string? Of(byte[]? cipher, byte[]? hmac) =>
        cipher is null || hmac is null ? null : CpfDisclosure.For(viewer, cipher, hmac, protector);
}
