namespace Agepar.Data.Auth;

/// <summary>Names of the roles seeded by the <c>InitialSchema</c> migration.</summary>
public static class RoleNames
{
    /// <summary>Portal administration: users, roles, every automation.</summary>
    public const string Admin = "admin";

    /// <summary>Coordination (legacy role kept for compatibility).</summary>
    public const string Coordenador = "coordenador";

    /// <summary>Human resources.</summary>
    public const string Rh = "rh";

    /// <summary>Administrative and financial directorate.</summary>
    public const string Daf = "daf";

    /// <summary>Presidency directorate.</summary>
    public const string Dp = "dp";

    /// <summary>Inspection and quality directorate.</summary>
    public const string Dfq = "dfq";

    /// <summary>Economic regulation directorate.</summary>
    public const string Dre = "dre";

    /// <summary>Norms and regulation directorate.</summary>
    public const string Dnr = "dnr";

    /// <summary>Procurement: DFD and ETP automations.</summary>
    public const string Compras = "compras";

    /// <summary>Vacation requests automation.</summary>
    public const string Ferias = "ferias";

    /// <summary>Baseline role of every signed-in user.</summary>
    public const string User = "user";

    /// <summary>Read-only access to audits and submissions.</summary>
    public const string Auditor = "auditor";

    /// <summary>The form2json demo automation.</summary>
    public const string AutomationsForm2Json = "automations.form2json";

    /// <summary>Every seeded role name.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Admin, Coordenador, Rh, Daf, Dp, Dfq, Dre, Dnr, Compras, Ferias, User, Auditor, AutomationsForm2Json];
}
