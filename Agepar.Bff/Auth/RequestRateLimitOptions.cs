using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// ASP.NET's in-memory rate limiter against request floods (section <c>RateLimiting</c>): a fixed window per signed-in
/// user (or per client IP when anonymous), and a tighter one on <c>POST /api/auth/login</c> per client IP.
/// </summary>
public sealed class RequestRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 1200;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 1_000_000)]
    public int LoginPermitLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);
}
