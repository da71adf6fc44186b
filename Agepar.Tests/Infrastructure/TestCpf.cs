using System.Security.Cryptography;
using Agepar.Data.Auth;

namespace Agepar.Tests.Infrastructure;

/// <summary>Random CPFs with valid check digits, unique enough per test run.</summary>
public static class TestCpf
{
    /// <summary>11 digits with correct check digits.</summary>
    public static string New()
    {
        while (true)
        {
            var digits = string.Concat(Enumerable.Range(0, 9).Select(_ => RandomNumberGenerator.GetInt32(10)));
            var withFirst = digits + Cpf.CheckDigit(digits);
            var cpf = withFirst + Cpf.CheckDigit(withFirst);
            if (Cpf.IsValid(cpf))
            {
                return cpf;
            }
        }
    }
}
