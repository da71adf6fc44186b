namespace Agepar.Bff.Auth;

/// <summary>
/// The first administrator (section <c>Bootstrap</c>, from the AppHost's secret parameters
/// <c>bootstrap-admin-email</c> / <c>bootstrap-admin-password</c>). Created at startup only when no user has the
/// e-mail; an existing account is never changed. There is no default password.
/// </summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string AdminName { get; set; } = "Administrador";
}
