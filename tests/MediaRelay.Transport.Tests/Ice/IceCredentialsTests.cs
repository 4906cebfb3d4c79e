using MediaRelay.Transport.Ice;

namespace MediaRelay.Transport.Tests.Ice;

public class IceCredentialsTests
{
    [Fact]
    public void Generated_credentials_follow_rfc8839()
    {
        var a = IceCredentials.Generate();
        var b = IceCredentials.Generate();
        Assert.True(a.LocalUfrag.Length >= 4);
        Assert.True(a.LocalPassword.Length >= 22);
        Assert.True(IceCredentials.IsValid(a.LocalUfrag, 4));
        Assert.True(IceCredentials.IsValid(a.LocalPassword, 22));
        Assert.NotEqual(a.LocalUfrag, b.LocalUfrag);
        Assert.NotEqual(a.LocalPassword, b.LocalPassword);
        Assert.Equal(a.LocalPassword, System.Text.Encoding.ASCII.GetString(a.LocalPasswordBytes));
    }

    [Theory]
    [InlineData("abc", "0123456789abcdefABCDEF")]
    [InlineData("ab:c", "0123456789abcdefABCDEF")]
    [InlineData("abcd", "0123456789abcdefABCDE")]
    [InlineData("abcd", "0123456789abcdefABCDE=")]
    public void Invalid_credentials_are_rejected(string ufrag, string password)
        => Assert.Throws<ArgumentException>(() => new IceCredentials(ufrag, password));

    [Theory]
    [InlineData("abcd:efgh", "abcd", "efgh")]
    [InlineData("abcd:ef:gh", "abcd", "ef:gh")]
    public void Username_splits_at_the_first_colon(string username, string local, string remote)
    {
        Assert.True(StunUsername.TrySplit(System.Text.Encoding.ASCII.GetBytes(username), out var l, out var r));
        Assert.Equal(local, System.Text.Encoding.ASCII.GetString(l));
        Assert.Equal(remote, System.Text.Encoding.ASCII.GetString(r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData(":efgh")]
    [InlineData("abcd:")]
    public void Malformed_usernames_do_not_split(string username)
        => Assert.False(StunUsername.TrySplit(System.Text.Encoding.ASCII.GetBytes(username), out _, out _));
}
