using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Agepar.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Agepar.Tests.Api;

/// <summary>
/// Generative test over the BFF's own OpenAPI document: every operation, every declared path, query and header
/// parameter, filled with random and boundary values (far dates and offsets, huge and negative numbers, forged
/// cursors, NUL, lone surrogates, bidi marks, very long text, malformed GUIDs) drawn from a FIXED seed, so a failure
/// replays exactly. Sent anonymously and as a signed-in admin. Every answer must be below 500, and every 4xx an RFC
/// 9457 ProblemDetails (<c>application/problem+json</c> with a JSON object body).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiFuzzTests(AgeparAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>Change it to explore; a failure prints the request, which this seed reproduces.</summary>
    public const int Seed = 20261204;

    /// <summary>
    /// Anonymous requests share the client-IP rate-limit partition with every other test (the AppHost's proxy is
    /// the one client address), so this stays well under <c>RateLimiting:PermitLimit</c> (1,200 a minute).
    /// </summary>
    private const int AnonymousRequests = 700;

    /// <summary>Signed-in requests: a fresh admin every <see cref="RequestsPerAdmin"/>, each its own rate-limit partition.</summary>
    private const int AdminRequests = 3300;

    private const int RequestsPerAdmin = 900;

    private const int Parallelism = 4;

    /// <summary>Kestrel refuses longer request lines itself (414, before any application code): stay under it.</summary>
    private const int MaxUrlLength = 7500;

    /// <summary>Real slugs, so requests reach the handlers; not the test automations, whose queue runs other tests watch.</summary>
    private static readonly string[] Slugs = ["form2json", "dfd"];

    [Fact]
    public async Task Every_operation_answers_random_and_boundary_parameters_below_500_with_problem_details()
    {
        var operations = await ReadOperationsAsync();
        Assert.True(operations.Count >= 20, $"The OpenAPI document lists only {operations.Count} operations.");
        output.WriteLine($"seed {Seed}: {operations.Count} operations, {AnonymousRequests} anonymous + {AdminRequests} admin requests");

        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>();
        var statuses = new ConcurrentDictionary<int, int>();

        // Anonymous first: its rate-limit window has rolled over by the time the next test signs in.
        using (var anonymous = ApiSession.AnonymousClient(fixture))
        {
            var plan = Plan(operations, AnonymousRequests, admin: false, salt: 1);
            await RunAsync(plan, _ => Task.FromResult(anonymous), "anon", failures, counts, statuses);
        }

        // A dedicated admin (role admin, no password change pending) rather than the shared bootstrap admin: the
        // operations excluded in Plan cannot touch the account other tests sign in with, and each admin has its own
        // rate-limit partition.
        var admins = new ConcurrentDictionary<int, ApiSession>();
        var adminGate = new SemaphoreSlim(1, 1);
        try
        {
            var plan = Plan(operations, AdminRequests, admin: true, salt: 2);
            await RunAsync(plan, async index =>
            {
                var slot = index / RequestsPerAdmin;
                if (admins.TryGetValue(slot, out var known))
                {
                    return known.Client;
                }

                await adminGate.WaitAsync();
                try
                {
                    if (!admins.TryGetValue(slot, out var session))
                    {
                        var (_, email, password, _) = await ApiSession.CreateUserAccountAsync(fixture, ["admin"], $"Fuzz Admin {slot}");
                        session = admins[slot] = await ApiSession.LoginAsync(fixture, email, password);
                    }

                    return session.Client;
                }
                finally
                {
                    adminGate.Release();
                }
            }, "admin", failures, counts, statuses);
        }
        finally
        {
            foreach (var session in admins.Values)
            {
                session.Dispose();
            }
        }

        foreach (var (key, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,5}  {key}");
        }

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.Equal(AnonymousRequests + AdminRequests, counts.Values.Sum());
        Assert.True(failures.IsEmpty,
            $"seed {Seed}: {failures.Count} of {AnonymousRequests + AdminRequests} requests broke the contract:\n"
            + string.Join("\n", failures.Take(60)) + "\n" + fixture.Logs.Dump("bff"));
    }

    private sealed record Parameter(string Name, string In, bool Required, string? Type, string? Format);

    private sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, IReadOnlyList<(string Name, string? Type)>? BodyProperties)
    {
        public string Key => $"{Method} {Path}";
    }

    private sealed record PlannedRequest(Operation Operation, int Index, int Seed);

    private async Task<List<Operation>> ReadOperationsAsync()
    {
        using var client = ApiSession.AnonymousClient(fixture);
        using var response = await client.GetAsync("/api/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        var operations = new List<Operation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var parameters = shared.Concat(method.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(x => Resolve(root, x))
                    .Select(x => new Parameter(
                        x.GetProperty("name").GetString()!,
                        x.GetProperty("in").GetString()!,
                        x.TryGetProperty("required", out var r) && r.GetBoolean(),
                        x.TryGetProperty("schema", out var s) ? TypeOf(root, s) : null,
                        x.TryGetProperty("schema", out var f) && Resolve(root, f).TryGetProperty("format", out var fmt) ? fmt.GetString() : null))
                    .ToList();
                List<(string Name, string? Type)>? body = null;
                if (method.Value.TryGetProperty("requestBody", out var requestBody))
                {
                    body = [];
                    if (requestBody.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
                        && json.TryGetProperty("schema", out var schema) && Resolve(root, schema).TryGetProperty("properties", out var properties))
                    {
                        body.AddRange(properties.EnumerateObject().Select(x => (x.Name, TypeOf(root, x.Value))));
                    }
                }

                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return [.. operations.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)];
    }

    private static JsonElement Resolve(JsonElement root, JsonElement element)
    {
        for (var depth = 0; depth < 8 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); depth++)
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part);
            }

            element = target;
        }

        return element;
    }

    private static string? TypeOf(JsonElement root, JsonElement schema)
    {
        schema = Resolve(root, schema);
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        // OpenAPI 3.1 writes nullable types as ["string", "null"].
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    /// <summary>
    /// Spreads <paramref name="total"/> requests over the operations (more for more parameters), leaving out what
    /// would damage state other tests rely on. Each request gets its own seed, so the plan — not the scheduling —
    /// decides every value.
    /// </summary>
    private static List<PlannedRequest> Plan(IReadOnlyList<Operation> operations, int total, bool admin, int salt)
    {
        var eligible = operations.Where(o => !admin || !SkippedForAdmin(o)).ToList();
        // Every operation gets a floor (3 for the capped ones), the rest of the budget goes by weight: more for more
        // parameters. Any remainder of the integer division goes round-robin to the operations with parameters.
        var counts = eligible.ToDictionary(o => o, o => Capped(o) ? 3 : 5);
        var weights = eligible.Where(o => !Capped(o)).ToDictionary(o => o, o => 1 + (3 * o.Parameters.Count) + (o.BodyProperties is null ? 0 : 1));
        var left = total - counts.Values.Sum();
        var weightSum = weights.Values.Sum();
        foreach (var (operation, weight) in weights)
        {
            counts[operation] += left * weight / weightSum;
        }

        var withParameters = eligible.Where(o => o.Parameters.Count > 0 && !Capped(o)).ToList();
        for (var i = 0; counts.Values.Sum() < total; i++)
        {
            counts[withParameters[i % withParameters.Count]]++;
        }

        var plan = eligible.SelectMany(o => Enumerable.Range(0, counts[o]).Select(i => new PlannedRequest(o, i, 0))).ToList();
        // A fixed shuffle mixes the operations, so each admin (one per RequestsPerAdmin) sees all of them.
        var shuffled = plan.ToArray();
        new Random(Seed + salt).Shuffle(shuffled);
        return [.. shuffled.Select((r, i) => r with { Index = i, Seed = HashCode32($"{Seed}|{salt}|{r.Operation.Key}|{i}") })];
    }

    /// <summary>
    /// Left out for the signed-in admin, because a valid-looking request would destroy the shared state the run needs:
    /// logout revokes the session the fuzzer is using; change-password verifies a current password (a wrong guess
    /// counts against the account's login throttle) and revokes every session. Both are still sent anonymously.
    /// </summary>
    private static bool SkippedForAdmin(Operation operation) =>
        operation.Path is "/api/auth/logout" or "/api/auth/change-password";

    /// <summary>Costly and parameterless (a full maintenance pass): three requests are enough.</summary>
    private static bool Capped(Operation operation) => operation.Path == "/api/admin/maintenance/run";

    private async Task RunAsync(
        List<PlannedRequest> plan,
        Func<int, Task<HttpClient>> clientFor,
        string who,
        ConcurrentQueue<string> failures,
        ConcurrentDictionary<string, int> counts,
        ConcurrentDictionary<int, int> statuses)
    {
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (planned, ct) =>
        {
            var client = await clientFor(planned.Index);
            var random = new Random(planned.Seed);
            var (request, description) = Build(planned.Operation, random, client.BaseAddress!);
            counts.AddOrUpdate($"{who,-5} {planned.Operation.Key}", 1, (_, n) => n + 1);
            using (request)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(60));
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    var nulInPath = request.RequestUri!.AbsolutePath.Contains("%00", StringComparison.Ordinal);
                    if (await CheckAsync(response, nulInPath, timeout.Token) is { } problem)
                    {
                        failures.Enqueue($"[{who}] {description} → {status}: {problem}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue($"[{who}] {description} → no answer: {ex.GetType().Name}: {ex.Message}");
                }
            }
        });
    }

    /// <summary>
    /// Null when the answer keeps the contract; otherwise what is wrong with it. The one 4xx that cannot be a
    /// ProblemDetails: Kestrel refuses a path whose decoding contains NUL (<c>PathContainsNullCharacters</c>) with a
    /// bare 400 while parsing the request line, before any middleware exists for that request; such a request is
    /// checked to get exactly that (400, empty body), so anything else it might get still fails.
    /// </summary>
    private static async Task<string?> CheckAsync(HttpResponseMessage response, bool nulInPath, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (nulInPath)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return status == 400 && body.Length == 0 ? null : $"a NUL in the path should be Kestrel's bare 400: {Shorten(body)}";
        }

        if (status < 400)
        {
            return null; // bodies of successes (CSV streams included) are not read: dispose aborts them
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        if (status >= 500)
        {
            return "server error: " + Shorten(text);
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"4xx with content type '{response.Content.Headers.ContentType}', not application/problem+json: {Shorten(text)}";
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !(root.TryGetProperty("title", out _) || root.TryGetProperty("type", out _)))
            {
                return "not a ProblemDetails object: " + Shorten(text);
            }

            if (root.TryGetProperty("status", out var s) && (s.ValueKind != JsonValueKind.Number || s.GetInt32() != status))
            {
                return $"ProblemDetails status {s} differs from the HTTP status: {Shorten(text)}";
            }
        }
        catch (JsonException ex)
        {
            return $"unparsable ProblemDetails ({ex.Message}): {Shorten(text)}";
        }

        return null;
    }

    private static (HttpRequestMessage Request, string Description) Build(Operation operation, Random random, Uri baseAddress)
    {
        // A third of the requests are plausible: every value well-formed (far dates and offsets included), so they get
        // past validation into the SQL; the rest are hostile anywhere.
        var plausible = random.NextDouble() < 0.35;
        for (var attempt = 0; ; attempt++)
        {
            var path = operation.Path;
            var query = new List<string>();
            var headers = new List<(string Name, string Value)>();
            foreach (var parameter in operation.Parameters)
            {
                switch (parameter.In)
                {
                    case "path":
                        path = path.Replace("{" + parameter.Name + "}", plausible ? PlausiblePathValue(parameter, random) : PathValue(parameter, random), StringComparison.Ordinal);
                        break;
                    case "query" when parameter.Required || random.NextDouble() < 0.6:
                        query.Add($"{Uri.EscapeDataString(parameter.Name)}={(plausible ? PlausibleValue(parameter, random) : QueryValue(parameter, random))}");
                        break;
                    case "header" when parameter.Required || random.NextDouble() < 0.8:
                        headers.Add((parameter.Name, HeaderValue(random)));
                        break;
                }
            }

            // Now and then a parameter the operation does not declare, or one declared twice.
            if (random.NextDouble() < 0.1 && query.Count > 0)
            {
                query.Add(query[random.Next(query.Count)]);
            }

            var url = path + (query.Count == 0 ? "" : "?" + string.Join("&", query));
            if (url.Length > MaxUrlLength && attempt < 20)
            {
                continue;
            }

            var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(baseAddress, url));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var body = operation.BodyProperties is null ? null : Body(operation, random);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var description = $"{operation.Method} {Shorten(url, 400)}"
                + string.Concat(headers.Select(h => $" [{h.Name}: {Shorten(h.Value, 60)}]"))
                + (body is null ? "" : $" body {Shorten(body, 200)}");
            return (request, description);
        }
    }

    private static string PathValue(Parameter parameter, Random random)
    {
        if (parameter.Format == "uuid" || parameter.Name == "id")
        {
            return random.NextDouble() < 0.6 ? GuidValue(random) : Pick(random, Texts);
        }

        if (parameter.Name == "slug" && random.NextDouble() < 0.5)
        {
            return Pick(random, Slugs);
        }

        return Pick(random, Texts);
    }

    private static string PlausiblePathValue(Parameter parameter, Random random) =>
        parameter.Format == "uuid" || parameter.Name == "id" ? RandomGuid(random).ToString() : Pick(random, Slugs);

    private static string PlausibleValue(Parameter parameter, Random random)
    {
        var name = parameter.Name.ToLowerInvariant();
        if (name is "since" or "until" || parameter.Format is "date" or "date-time")
        {
            return Pick(random, PlausibleDates);
        }

        if (name is "limit" || parameter.Type is "integer" or "number")
        {
            return Pick(random, ["1", "2", "50", "500"]);
        }

        return name == "cursor" ? Cursor(random) : Pick(random, Words);
    }

    private static string QueryValue(Parameter parameter, Random random)
    {
        var name = parameter.Name.ToLowerInvariant();
        var roll = random.NextDouble();
        if (roll < 0.15)
        {
            return Pick(random, Texts); // any parameter may receive anything
        }

        if (name is "since" or "until" || parameter.Format is "date" or "date-time")
        {
            return roll < 0.8 ? Pick(random, Dates) : RandomDate(random);
        }

        if (name is "limit" || parameter.Type is "integer" or "number")
        {
            return roll < 0.8 ? Pick(random, Integers) : random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (name == "cursor")
        {
            return Cursor(random);
        }

        if (parameter.Format == "uuid")
        {
            return GuidValue(random);
        }

        return roll < 0.5 ? Pick(random, Words) : Pick(random, Texts);
    }

    private static string HeaderValue(Random random) => random.Next(8) switch
    {
        0 => "",
        1 => " ",
        2 => new string('k', 200),
        3 => new string('k', 201),
        4 => new string('x', random.Next(1000, 6000)),
        5 => "a b\tc",
        6 => "'; DROP TABLE submissions; --",
        _ => $"fuzz-{random.Next()}",
    };

    /// <summary>
    /// Small JSON: empty, not an object, or the declared properties with values of random types. The login body
    /// never carries both an identifier and a password, so no sign-in attempt is counted against the shared client
    /// address (the durable login throttle).
    /// </summary>
    private static string? Body(Operation operation, Random random)
    {
        if (operation.Path == "/api/auth/login")
        {
            return Pick(random, [null, "", "{}", "[]", "null", "{\"identifier\":\"\"}", "{\"password\":\"\"}", "{\"identifier\":", "\"x\""]);
        }

        switch (random.Next(6))
        {
            case 0: return null;
            case 1: return Pick(random, ["", "{}", "[]", "null", "0", "\"x\"", "{\"a\":", "{\"a\":1}"]);
        }

        // Mostly a value of the declared type (so the body binds and its content reaches the handler), else anything.
        var properties = operation.BodyProperties!.Count > 0 ? operation.BodyProperties : [("a", null), ("b", null)];
        var fields = properties.Where(_ => random.NextDouble() < 0.8)
            .Select(p => $"{JsonSerializer.Serialize(p.Name)}:{(random.NextDouble() < 0.75 ? TypedJsonValue(p.Type, random) : JsonValue(random))}");
        return "{" + string.Join(",", fields) + "}";
    }

    private static string TypedJsonValue(string? type, Random random) => type switch
    {
        "string" => Pick(random, JsonStrings),
        "array" => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(random, JsonStrings))) + "]",
        "boolean" => Pick(random, ["true", "false", "null"]),
        "integer" or "number" => Pick(random, ["0", "-1", "1", "2147483648", "1e308", "99999999999999999999"]),
        _ => JsonValue(random),
    };

    /// <summary>Hostile JSON strings: escaped NUL, lone surrogates, control and bidi characters, plausible e-mails, CPFs and roles.</summary>
    private static readonly string[] JsonStrings =
    [
        "\"\"", "\"a\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udfff\"", "\"\\u0007\\u001b\"",
        "\"\\u202e\\u200f\"", "\"Ana Maria\"", "\"fuzz@agepar.test\"", "\"a\\u0000@agepar.test\"", "\"529.982.247-25\"",
        "\"529.982.247-25\\u0000\"", "\"admin\"", "\"user\"", "\"compras\"", "\"a%_\\\\\"", "\"\\ud83d\\ude00\"",
        JsonSerializer.Serialize(new string('x', 5000)),
    ];

    private static string JsonValue(Random random) => random.Next(11) switch
    {
        9 => Pick(random, ["[\"\\u0000\"]", "[\"admin\",\"\\u0000\"]", "[\"\\ud800\"]", "[\"a\\u0000b\",1,null]", "[[]]", "[\"user\"]"]),
        10 => Pick(random, ["\"a\\u0000@agepar.test\"", "\"\\u0000\\u0000\"", "\"529.982.247-25\\u0000\"", "\"x\\u202e\\u0007\"", "\"\\udfff@x.y\""]),
        0 => "null",
        1 => "true",
        2 => Pick(random, ["0", "-1", "2147483648", "1e308", "-0.0", "99999999999999999999"]),
        3 => "[]",
        4 => "{}",
        5 => "\"\\u0000\"",
        6 => "\"\\ud800\"",
        7 => JsonSerializer.Serialize(new string('x', random.Next(1, 3000))),
        _ => JsonSerializer.Serialize(Pick(random, Words)),
    };

    private static string GuidValue(Random random) => random.Next(8) switch
    {
        0 => Guid.Empty.ToString(),
        1 => "ffffffff-ffff-ffff-ffff-ffffffffffff",
        2 => "not-a-guid",
        3 => RandomGuid(random).ToString("N")[..31],
        4 => "%7B" + RandomGuid(random) + "%7D",
        5 => RandomGuid(random) + "x",
        6 => RandomGuid(random).ToString().ToUpperInvariant(),
        _ => RandomGuid(random).ToString(),
    };

    private static Guid RandomGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static string RandomDate(Random random)
    {
        var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        var date = new DateTime(ticks, DateTimeKind.Utc);
        var offset = random.Next(-14 * 60, (14 * 60) + 1);
        var sign = offset < 0 ? "-" : "%2B";
        return random.Next(3) switch
        {
            0 => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            1 => date.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            _ => date.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + $"{sign}{Math.Abs(offset) / 60:00}:{Math.Abs(offset) % 60:00}",
        };
    }

    /// <summary>Cursors of every shape: the keyset codec's (version, microseconds, id) with any numbers, the old users
    /// cursor's "ticks:guid", garbage and base64 of garbage.</summary>
    private static string Cursor(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return Pick(random, Texts);
            case 1:
            {
                var garbage = new byte[random.Next(0, 64)];
                random.NextBytes(garbage);
                return Base64Url(garbage);
            }

            case 2:
                return Base64Url(Encoding.UTF8.GetBytes(
                    $"{Pick(random, ["9999999999999999999", "-1", "0", "3155378976000000000", "-9223372036854775808", "abc", ""])}:{RandomGuid(random):N}"));
            default:
            {
                var length = Pick(random, [17, 25, 17, 25, 16, 24, 26, 9, 1]);
                var bytes = new byte[length];
                random.NextBytes(bytes);
                bytes[0] = Pick(random, [(byte)1, (byte)1, (byte)1, (byte)0, (byte)2, (byte)255]);
                if (length >= 9)
                {
                    var micros = Pick(random, [long.MaxValue, long.MinValue, 0L, -1L, 253402300799999999L, 253402300800000000L, -62135596800000000L,
                        -62135596800000001L, 9223372036854775L, random.NextInt64(long.MinValue, long.MaxValue)]);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), micros);
                }

                return Base64Url(bytes);
            }
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Far dates, offsets at both ends of the range, impossible and malformed dates (percent-encoded).</summary>
    private static readonly string[] Dates =
    [
        "9999-12-31", "0001-01-01", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59%2B14:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00%2B14:00", "0001-01-01T00:00:00-12:00",
        "9999-12-31T12:00:00-14:00", "0001-01-01T10:00:00%2B14:00", "2026-03-01T12:00:00%2B03:00", "2026-03-01T12:00:00 03:00",
        "2026-02-30", "2026-13-01", "2026-00-10", "-0001-01-01", "%2B294277-01-01", "294276-12-31", "10000-01-01", "-4713-11-24",
        "2026-03-01T25:00:00Z", "2026-03-01T12:00:00%2B15:00", "1970-01-01", "2026-03-01%2012:00", "now", "T", "2026-03-01T",
        "99999999999999999999", "2026-03-01T12:00:00.123456789012Z", "%00", "2026-03-01%00",
    ];

    /// <summary>Well-formed dates at and near both ends of the representable range, with extreme offsets.</summary>
    private static readonly string[] PlausibleDates =
    [
        "9999-12-31", "9999-12-30", "0001-01-01", "0001-01-02", "2026-03-01", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.9999999Z",
        "0001-01-01T00:00:00Z", "0001-01-01T14:00:00%2B14:00", "9999-12-31T11:59:59-12:00", "0001-01-01T23:00:00%2B14:00",
        "9999-12-31T00:00:00-12:00", "2026-03-01T12:00:00%2B14:00", "2026-03-01T12:00:00-12:00", "1970-01-01T00:00:00Z",
    ];

    private static readonly string[] Integers =
    [
        "2147483648", "2147483647", "-2147483648", "-2147483649", "-1", "0", "1", "50", "500", "501", "100", "101",
        "99999999999999999999", "9223372036854775808", "1e3", "0x10", "%201", "1%20", "1.5", "NaN", "%2B5", "-0", "00000000001",
        "%D9%A3", "%EF%BC%95", "", "%00",
    ];

    /// <summary>Values the filters accept, so some requests get past validation into SQL.</summary>
    private static readonly string[] Words =
    [
        "form2json", "dfd", "success", "failure", "denied", "queued", "running", "done", "error", "cancelled", "active",
        "blocked", "pending", "admin", "user", "submission", "submission.created", "auth.login", "maria", "%25", "_",
        "%5C", "a%25b_c%5C", "agepar.test", "12345678909",
    ];

    /// <summary>Hostile text, already percent-encoded: NUL, lone surrogates (as the UTF-8 bytes a sloppy client sends),
    /// overlong and invalid UTF-8, bidi and zero-width marks, emoji, SQL, path tricks, very long strings.</summary>
    private static readonly string[] Texts =
    [
        "", "%20", "a", "%00", "a%00b", "%ED%A0%80", "%ED%B0%80", "x%ED%A0%BDy", "%C0%80", "%FF", "%FE%FF", "%EF%BF%BF",
        "%E2%80%8F", "%E2%80%AE", "%E2%80%8B", "%E2%80%A8", "%F0%9F%98%80", "%0D%0A", "%09", "%1B%5B31m", "%7F", "%C2%85",
        "%27%3B%20DROP%20TABLE%20users%3B%20--", "%25%25%25", "..", "%2E%2E%2F%2E%2E", "%2F", "%5C", "%3Cscript%3E",
        "%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9", new string('a', 2000), string.Concat(Enumerable.Repeat("%F0%9F%98%80", 300)),
        string.Concat(Enumerable.Repeat("%E2%80%AE", 200)), string.Concat(Enumerable.Repeat("%00", 50)),
    ];

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    /// <summary>Runs of one character (the long values) written as <c>x{5000}</c>, then cut at <paramref name="max"/>.</summary>
    private static string Shorten(string text, int max = 300)
    {
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(.)\1{19,}", m => $"{m.Groups[1].Value}{{{m.Length}}}");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"((?:%[0-9A-F]{2}){1,4})\1{9,}", m => $"({m.Groups[1].Value})×{m.Length / m.Groups[1].Length}");
        return text.Length <= max ? text : text[..max] + "…";
    }

    /// <summary>FNV-1a: a hash that is the same in every process (string.GetHashCode is randomized per run).</summary>
    private static int HashCode32(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
