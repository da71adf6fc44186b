using System.Buffers;
using System.Text;

namespace Agepar.Bff.Control;

/// <summary>What a column of an export's <c>COPY</c> output becomes in the file.</summary>
internal enum CsvCopyColumn
{
    /// <summary>One field, its text as PostgreSQL wrote it (numbers, UUIDs, text, JSON).</summary>
    Text,

    /// <summary>A <c>timestamptz</c> written under <c>TimeZone = UTC</c>, <c>DateStyle = ISO</c>; becomes <c>2026-03-01T12:00:00.123456Z</c>.</summary>
    Timestamp,

    /// <summary>Two fields, a CPF's ciphertext and its blind index (<c>bytea</c>, hex); becomes one field, the CPF as the reader may see it.</summary>
    Cpf,
}

/// <summary>
/// Turns the rows of <c>COPY (…) TO STDOUT (FORMAT csv, DELIMITER d)</c> into the export's own CSV, byte for byte the
/// same file <see cref="CsvRowBuilder"/> writes: CRLF line ends, a field quoted when it holds <c>, ; " CR LF TAB</c>
/// (PostgreSQL quotes only on its delimiter, quote, CR and LF, so the other separator and TAB are checked here), every
/// field starting with <c>= + - @ TAB CR</c> prefixed with a single quote, empty strings and NULLs both empty,
/// timestamps in ISO 8601 UTC with microseconds, and the CPF columns decrypted or masked by the caller's function.
/// The server does the per-value work (reading, converting, quoting, doubling quotes); this only scans the bytes once
/// with vectorized searches, so an export costs about what <c>psql \copy</c> costs.
/// </summary>
internal sealed class CsvCopyRewriter
{
    private static readonly SearchValues<byte> QuoteTriggers = SearchValues.Create(",;\"\r\n\t"u8);

    private readonly byte _separator;
    private readonly CsvCopyColumn[] _columns;
    private readonly Func<byte[], byte[], string?>? _cpf;
    private readonly int _atField;
    private readonly int _idField;
    private readonly int _inputFields;
    private readonly byte[] _lastAt = new byte[64];
    private readonly byte[] _lastId = new byte[64];
    private int _lastAtLength;
    private int _lastIdLength;

    /// <param name="dialect">The separator of the output, which must also be the <c>DELIMITER</c> of the COPY.</param>
    /// <param name="source">The output columns in order (a <see cref="CsvCopyColumn.Cpf"/> reads two input fields) and the keyset's fields.</param>
    /// <param name="cpf">The CPF as the reader may see it, from its ciphertext and blind index (null: none).</param>
    public CsvCopyRewriter(CsvDialect dialect, CsvCopySource source, Func<byte[], byte[], string?>? cpf = null)
    {
        _separator = (byte)dialect.Separator;
        _columns = source.Columns;
        _atField = source.AtField;
        _idField = source.IdField;
        _cpf = cpf;
        _inputFields = _columns.Sum(column => column == CsvCopyColumn.Cpf ? 2 : 1);
        if (_columns.Contains(CsvCopyColumn.Cpf) && cpf is null)
        {
            throw new ArgumentException("A CPF column needs the function that shows it.", nameof(cpf));
        }
    }

    /// <summary>The keyset timestamp of the last row rewritten, as PostgreSQL wrote it.</summary>
    public string LastAt => Encoding.ASCII.GetString(_lastAt, 0, _lastAtLength);

    /// <summary>The keyset id of the last row rewritten, as PostgreSQL wrote it.</summary>
    public string LastId => Encoding.ASCII.GetString(_lastId, 0, _lastIdLength);

    /// <summary>
    /// Rewrites the first row of <paramref name="input"/> into <paramref name="output"/> and says how many input bytes
    /// it took; false (and <paramref name="output"/> untouched) when the row is not complete yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The row does not have the expected fields.</exception>
    public bool TryRewrite(ReadOnlySpan<byte> input, ByteBuffer output, out int consumed)
    {
        consumed = 0;
        var start = output.Length;
        var position = 0;
        var field = 0;
        ReadOnlySpan<byte> at = input[..0], id = input[..0];
        for (var column = 0; column < _columns.Length; column++)
        {
            if (column > 0)
            {
                output.Append(_separator);
            }

            if (!TryField(input, ref position, ref field, out var value, out var quoted))
            {
                output.Truncate(start);
                return false;
            }

            if (field - 1 == _atField)
            {
                at = value;
            }

            if (field - 1 == _idField)
            {
                id = value;
            }

            switch (_columns[column])
            {
                case CsvCopyColumn.Timestamp:
                    WriteTimestamp(value, quoted, output);
                    break;
                case CsvCopyColumn.Cpf:
                    if (!TryField(input, ref position, ref field, out var hmac, out _))
                    {
                        output.Truncate(start);
                        return false;
                    }

                    WriteCpf(value, hmac, output);
                    break;
                default:
                    WriteText(value, quoted, output);
                    break;
            }
        }

        output.Append((byte)'\r');
        output.Append((byte)'\n');
        consumed = position;
        Remember(at, _lastAt, ref _lastAtLength);
        Remember(id, _lastId, ref _lastIdLength);
        return true;
    }

    /// <summary>
    /// Reads the field at <paramref name="position"/> (unquoted, or quoted with its quotes still doubled) and the byte
    /// after it, which must be the separator, or the line end for the last field.
    /// </summary>
    private bool TryField(ReadOnlySpan<byte> input, scoped ref int position, scoped ref int field, out ReadOnlySpan<byte> value, out bool quoted)
    {
        value = default;
        quoted = false;
        if (position >= input.Length)
        {
            return false;
        }

        int end; // index of the byte after the field
        if (input[position] == '"')
        {
            quoted = true;
            var at = position + 1;
            while (true)
            {
                var next = input[at..].IndexOf((byte)'"');
                if (next < 0 || at + next + 1 >= input.Length)
                {
                    return false;
                }

                at += next;
                if (input[at + 1] != '"')
                {
                    break;
                }

                at += 2; // a doubled quote inside the field
            }

            value = input[(position + 1)..at];
            end = at + 1;
        }
        else
        {
            var length = input[position..].IndexOfAny(_separator, (byte)'\n');
            if (length < 0)
            {
                return false;
            }

            value = input.Slice(position, length);
            end = position + length;
        }

        var last = ++field == _inputFields;
        if (input[end] != (last ? (byte)'\n' : _separator))
        {
            throw new InvalidDataException($"COPY row field {field} of {_inputFields} ended with byte {input[end]}.");
        }

        position = end + 1;
        return true;
    }

    private static void WriteText(ReadOnlySpan<byte> value, bool quoted, ByteBuffer output)
    {
        if (value.IsEmpty)
        {
            return; // NULL (unquoted) or the empty string ("") — both empty, as CsvRowBuilder writes them
        }

        // PostgreSQL quoted it for a separator, quote, CR or LF, all of which need quotes here too; an unquoted value
        // can still hold the other separator or a TAB.
        var quote = quoted || value.ContainsAny(QuoteTriggers);
        if (quote)
        {
            output.Append((byte)'"');
        }

        if (value[0] is (byte)'=' or (byte)'+' or (byte)'-' or (byte)'@' or (byte)'\t' or (byte)'\r')
        {
            output.Append((byte)'\'');
        }

        output.Append(value); // a quoted value's quotes are doubled already
        if (quote)
        {
            output.Append((byte)'"');
        }
    }

    /// <summary><c>2026-03-01 12:00:00.12+00</c> → <c>2026-03-01T12:00:00.120000Z</c>; anything else (infinity, BC, years past 9999) as text.</summary>
    private static void WriteTimestamp(ReadOnlySpan<byte> value, bool quoted, ByteBuffer output)
    {
        var regular = !quoted && value.Length is 22 or (>= 24 and <= 29)
            && value[4] == '-' && value[7] == '-' && value[10] == ' ' && value[13] == ':' && value[16] == ':'
            && value.EndsWith("+00"u8) && (value.Length == 22 || value[19] == '.');
        if (!regular)
        {
            WriteText(value, quoted, output);
            return;
        }

        var target = output.Reserve(27);
        value[..10].CopyTo(target);
        target[10] = (byte)'T';
        value[11..19].CopyTo(target[11..]);
        target[19] = (byte)'.';
        var fraction = value.Length == 22 ? default : value[20..^3];
        fraction.CopyTo(target[20..]);
        target[(20 + fraction.Length)..26].Fill((byte)'0');
        target[26] = (byte)'Z';
    }

    private void WriteCpf(ReadOnlySpan<byte> cipher, ReadOnlySpan<byte> hmac, ByteBuffer output)
    {
        if (cipher.Length < 2 || hmac.Length < 2)
        {
            return; // no CPF
        }

        var shown = _cpf!(FromHex(cipher), FromHex(hmac));
        if (string.IsNullOrEmpty(shown))
        {
            return;
        }

        // Not PostgreSQL's text: quote and neutralize it like any value (it is digits, dots and dashes or a mask).
        var field = new StringBuilder();
        CsvRowBuilder.AppendField(field, shown);
        output.Append(Encoding.UTF8.GetBytes(field.ToString()));
    }

    /// <summary>A <c>bytea</c> in PostgreSQL's hex output (<c>\x0a1b…</c>).</summary>
    private static byte[] FromHex(ReadOnlySpan<byte> value) =>
        value[0] == '\\' && value[1] == 'x'
            ? Convert.FromHexString(Encoding.ASCII.GetString(value[2..]))
            : throw new InvalidDataException("A bytea column is not in hex output (bytea_output must be 'hex').");

    private static void Remember(ReadOnlySpan<byte> value, byte[] into, ref int length)
    {
        if (value.Length > into.Length)
        {
            throw new InvalidDataException("A keyset value is longer than 64 bytes.");
        }

        value.CopyTo(into);
        length = value.Length;
    }
}

/// <summary>A growable byte buffer that can be cleared and cut back (for a row that turned out to be incomplete).</summary>
internal sealed class ByteBuffer(int capacity = 64 * 1024)
{
    private byte[] _data = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _data.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void Truncate(int length) => Length = length;

    public void Append(byte value)
    {
        if (Length == _data.Length)
        {
            Grow(1);
        }

        _data[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>The next <paramref name="count"/> bytes, counted as written.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_data.Length - Length < count)
        {
            Grow(count);
        }

        var span = _data.AsSpan(Length, count);
        Length += count;
        return span;
    }

    private void Grow(int atLeast) =>
        Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + atLeast));
}
