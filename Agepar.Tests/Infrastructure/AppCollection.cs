namespace Agepar.Tests.Infrastructure;

/// <summary>Every test that needs the running system joins this collection: one AppHost for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AgeparAppFixture>
{
    public const string Name = "Agepar app";
}
