using Npgsql;

namespace Agepar.Tests.Infrastructure;

/// <summary>Direct database access for tests, as the container superuser unless told otherwise (imported statically project-wide).</summary>
public static class TestSql
{
    public static async Task<NpgsqlConnection> OpenAsync(AgeparAppFixture fixture, DbRole role = DbRole.Superuser)
    {
        var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(role));
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<T?> ScalarAsync<T>(AgeparAppFixture fixture, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(fixture);
        await using var command = Command(connection, sql, parameters);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public static async Task<int> ExecuteAsync(AgeparAppFixture fixture, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(fixture);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A command with named parameters (null binds as SQL NULL).</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
