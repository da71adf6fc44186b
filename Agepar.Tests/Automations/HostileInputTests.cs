using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>
/// Hostile submit bodies, headers and query strings: every one answers 4xx ProblemDetails (never 500) and writes
/// no submission, file or submission audit.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostileInputTests(AgeparAppFixture fixture)
{
    private const string Valid = """{"nome":"Ana","email":"ana@agepar.test","data":"2026-03-05","aceitaTermos":true""";

    public static TheoryData<string, string, byte[], string, int> Bodies()
    {
        var data = new TheoryData<string, string, byte[], string, int>();
        void Add(string name, string body, int status = 400, string slug = "form2json", string contentType = "application/json") =>
            data.Add(name, slug, Encoding.UTF8.GetBytes(body), contentType, status);

        Add("malformed JSON", """{"nome": "Ana", """);
        Add("trailing garbage", Valid + "} x");
        Add("empty body", "");
        Add("not an object", """["nome", "Ana"]""");
        Add("null", "null");
        Add("wrong types", """{"nome": 123, "email": true, "data": [], "aceitaTermos": "yes", "itens": {"a": 1}}""");
        Add("deep nesting", "{\"itens\":" + new string('[', 500) + new string(']', 500) + "}");
        Add("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100));
        Add("huge string over the body limit", Valid + ",\"departamento\":\"" + new string('x', 300 * 1024) + "\"}", 413);
        Add("long string under the body limit", Valid + ",\"departamento\":\"" + new string('x', 10_000) + "\"}");
        Add("NUL character", Valid.Replace("\"Ana\"", "\"An\\u0000a\"", StringComparison.Ordinal) + "}");
        Add("bell and escape", Valid.Replace("\"Ana\"", "\"An\\u0007\\u001ba\"", StringComparison.Ordinal) + "}");
        Add("lone surrogate", Valid.Replace("\"Ana\"", "\"An\\ud800a\"", StringComparison.Ordinal) + "}");
        Add("newline in a one-line field", Valid.Replace("\"Ana\"", "\"An\\na\"", StringComparison.Ordinal) + "}");
        Add("SQL in the e-mail", Valid.Replace("ana@agepar.test", "x'); DROP TABLE submissions; --", StringComparison.Ordinal) + "}");
        Add("SQL in an enum", Valid + ",\"prioridade\":\"alta' OR '1'='1\"}");
        Add("SQL in the DFD protocolo", """{"ano":2026,"diretoria":"DAF","protocolo":"1'; DELETE FROM submissions; --","assunto":"a","justificativa":"j","itens":[{"descricao":"d","quantidade":1,"valorUnitario":1}]}""", slug: "dfd");
        Add("number out of range", Valid + ",\"itens\":[{\"descricao\":\"d\",\"quantidade\":1e400}]}");
        Add("too many items", Valid + ",\"itens\":[" + string.Join(",", Enumerable.Repeat("{\"descricao\":\"d\",\"quantidade\":1}", 101)) + "]}");
        Add("duplicate property", Valid + ",\"nome\":\"Outra\"}");
        Add("unknown property", Valid + ",\"__proto__\":{\"admin\":true}}");
        Add("text/plain body", Valid + "}", 415, contentType: "text/plain");
        Add("form body", "nome=Ana", 415, contentType: "application/x-www-form-urlencoded");
        Add("unknown slug with SQL", Valid + "}", 404, slug: "form2json';DROP TABLE submissions;--");
        data.Add("invalid UTF-8", "form2json", [.. Encoding.UTF8.GetBytes("{\"nome\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], "application/json", 400);
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Hostile_submit_is_rejected_with_4xx_and_nothing_is_stored(string name, string slug, byte[] body, string contentType, int expected)
    {
        var user = await SharedUserAsync();
        var before = await CountsAsync(user.UserId);

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await user.Client.PostAsync($"/api/automations/{Uri.EscapeDataString(slug)}/submit", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{name}: expected {expected}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync(user.UserId));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("")]
    public async Task A_malformed_idempotency_key_is_400(string key)
    {
        var user = await SharedUserAsync();
        var before = await CountsAsync(user.UserId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/automations/form2json/submit")
        {
            Content = new StringContent(Valid + "}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key.Length == 0 ? new string('k', 201) : key);

        using var response = await user.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(user.UserId));
    }

    [Theory]
    [InlineData("/api/automations/form2json/submissions?cursor=%27%3B%20DROP%20TABLE%20submissions%3B--", 400)]
    [InlineData("/api/automations/form2json/submissions?limit=-1", 400)]
    [InlineData("/api/automations/form2json/submissions?limit=99999999999999", 400)]
    [InlineData("/api/automations/form2json/submissions/not-a-guid", 404)]
    [InlineData("/api/automations/form2json/submissions/00000000-0000-0000-0000-000000000000/download", 404)]
    [InlineData("/api/automations/%00/schema", 0)]
    [InlineData("/api/automations/form2json%27%20OR%201%3D1--/submissions", 404)]
    public async Task Hostile_reads_are_4xx(string url, int expected)
    {
        var user = await SharedUserAsync();

        using var response = await user.Client.GetAsync(url);

        var status = (int)response.StatusCode;
        Assert.True(expected == 0 ? status is >= 400 and < 500 : status == expected, $"{url}: {status} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_413_and_nothing_is_stored()
    {
        var user = await SharedUserAsync();
        var before = await CountsAsync(user.UserId);
        var body = Encoding.UTF8.GetBytes(Valid + ",\"departamento\":\"" + new string('x', 300 * 1024) + "\"}");

        using var content = new ChunkedContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await user.Client.PostAsync("/api/automations/form2json/submit", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        // Read and discarded up to the drain allowance, so the connection is not given up.
        Assert.NotEqual(true, response.Headers.ConnectionClose);
        Assert.Equal(before, await CountsAsync(user.UserId));
    }

    [Fact]
    public async Task A_huge_declared_body_is_refused_before_it_is_sent()
    {
        var user = await SharedUserAsync();
        var before = await CountsAsync(user.UserId);
        using var http = fixture.CreateBffClient();
        var bff = http.BaseAddress!;
        var cookie = user.Cookies.GetCookieHeader(bff);

        // Only the head goes out: a server that waited for the 64 MiB body would never answer.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(bff.Host, bff.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST /api/automations/form2json/submit HTTP/1.1\r\nHost: {bff.Authority}\r\nContent-Type: application/json\r\n" +
                   $"Content-Length: {64L * 1024 * 1024}\r\nCookie: {cookie}\r\nX-CSRF-Token: {user.CsrfToken}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(AgeparAppFixture.StepTimeout);
        var response = await reader.ReadToEndAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(user.UserId));
    }

    /// <summary>A body sent without Content-Length (chunked), so only reading it reveals its size.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static readonly SemaphoreSlim UserGate = new(1, 1);
    private static ApiSession? _user;

    /// <summary>One signed-in user for every case of this class (xUnit runs them one at a time).</summary>
    private async Task<ApiSession> SharedUserAsync()
    {
        await UserGate.WaitAsync();
        try
        {
            return _user ??= await ApiSession.CreateUserAsync(fixture, "automations.form2json", "compras");
        }
        finally
        {
            UserGate.Release();
        }
    }

    private async Task<(long Submissions, long Files, long SubmissionAudits)> CountsAsync(Guid userId) => (
        await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", userId)),
        await ScalarAsync<long>(fixture, "SELECT count(*) FROM submission_files f JOIN submissions s ON s.id = f.submission_id WHERE s.actor_user_id = @u", ("u", userId)),
        await ScalarAsync<long>(fixture, "SELECT count(*) FROM audits WHERE actor_user_id = @u AND action LIKE 'submission.%'", ("u", userId)));
}
