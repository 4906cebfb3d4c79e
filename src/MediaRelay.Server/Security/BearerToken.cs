using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MediaRelay.Server.Security;

/// <summary>
/// RFC 6750 §2.1 (https://www.rfc-editor.org/rfc/rfc6750#section-2.1): <c>Authorization: Bearer &lt;token&gt;</c>.
/// The comparison takes the same time whatever the presented token, so response timing does not reveal how much of
/// a guess was right.
/// </summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether the request carries exactly <paramref name="expected"/> as its bearer token.</summary>
    public static bool Matches(HttpRequest request, string expected)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hash both sides so the fixed-time comparison also hides the expected token's length.
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> wanted = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), presented);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected.Trim()), wanted); // a secret file's trailing newline
        return CryptographicOperations.FixedTimeEquals(presented, wanted);
    }
}
