namespace Agepar.Tests.Infrastructure;

/// <summary>Locates the repository root (the folder holding Agepar.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agepar.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Agepar.sln not found above " + AppContext.BaseDirectory);
    }
}
