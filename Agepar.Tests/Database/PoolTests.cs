using System.Text.Json;
using Agepar.Bff.Infrastructure;
using Agepar.Data.Connection;
using Agepar.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agepar.Tests.Database;

/// <summary>The pool is capped at 15 (10 + 5 overflow); the 16th caller waits the acquire timeout, then gets a 503.</summary>
[Collection(AppCollection.Name)]
public sealed class PoolTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task The_16th_concurrent_connection_waits_then_times_out_and_maps_to_503()
    {
        // The BFF's own settings, with a short acquire timeout so the test does not sit for 30 s.
        var options = new DatabaseOptions { AcquireTimeoutSeconds = 2 };
        var builder = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(DbRole.App)) { Pooling = true };
        await using var dataSource = NpgsqlDataSource.Create(AgeparConnectionString.Apply(builder, options, "agepar", false).ConnectionString);

        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 15; i++)
            {
                held.Add(await dataSource.OpenConnectionAsync());
            }

            var waiting = dataSource.OpenConnectionAsync().AsTask();
            Assert.False(waiting.IsCompleted, "the 16th connection must wait for a free one, not fail at once");
            var error = await Assert.ThrowsAsync<NpgsqlException>(() => waiting);

            Assert.True(RetryCountingExecutionStrategy.IsPoolExhausted(error), error.Message);
            var (status, retryAfter, body) = await HandleAsync(error);
            Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
            Assert.Equal("5", retryAfter);
            Assert.Equal(503, body.GetProperty("status").GetInt32());

            // A released connection serves the next caller.
            await held[0].DisposeAsync();
            held.RemoveAt(0);
            held.Add(await dataSource.OpenConnectionAsync());
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Other_exceptions_are_left_to_the_default_handler()
    {
        var handler = CreateHandler(out _);
        var context = new DefaultHttpContext();

        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException("bug"), CancellationToken.None));
    }

    private static async Task<(int Status, string? RetryAfter, JsonElement Body)> HandleAsync(Exception error)
    {
        var handler = CreateHandler(out var services);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = "/api/anything";
        context.Response.Body = new MemoryStream();

        Assert.True(await handler.TryHandleAsync(context, error, CancellationToken.None));

        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter, json.RootElement.Clone());
    }

    private static DatabaseUnavailableExceptionHandler CreateHandler(out IServiceProvider services)
    {
        services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DatabaseUnavailableExceptionHandler(
            services.GetRequiredService<IProblemDetailsService>(), NullLogger<DatabaseUnavailableExceptionHandler>.Instance);
    }
}
