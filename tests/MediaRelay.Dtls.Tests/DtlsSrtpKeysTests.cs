using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>RFC 5764 §4.2 key material layout.</summary>
public sealed class DtlsSrtpKeysTests
{
    [Theory]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1_80, 16, 14)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1_32, 16, 14)]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm, 16, 12)]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm, 32, 12)]
    public void FromKeyingMaterial_SplitsClientServerKeyThenSalts(ushort profile, int keyLength, int saltLength)
    {
        byte[] material = new byte[2 * (keyLength + saltLength)];
        for (int i = 0; i < material.Length; i++)
        {
            material[i] = (byte)i;
        }

        Assert.Equal(material.Length, DtlsSrtpKeys.GetKeyingMaterialLength(profile));
        DtlsSrtpKeys client = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isClient: true);
        DtlsSrtpKeys server = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isClient: false);

        byte[] clientKey = material[..keyLength];
        byte[] serverKey = material[keyLength..(2 * keyLength)];
        byte[] clientSalt = material[(2 * keyLength)..(2 * keyLength + saltLength)];
        byte[] serverSalt = material[(2 * keyLength + saltLength)..];

        Assert.Equal(profile, client.ProfileId);
        Assert.Equal(clientKey, client.LocalMasterKey);
        Assert.Equal(clientSalt, client.LocalMasterSalt);
        Assert.Equal(serverKey, client.RemoteMasterKey);
        Assert.Equal(serverSalt, client.RemoteMasterSalt);
        Assert.Equal(serverKey, server.LocalMasterKey);
        Assert.Equal(serverSalt, server.LocalMasterSalt);
        Assert.Equal(clientKey, server.RemoteMasterKey);
        Assert.Equal(clientSalt, server.RemoteMasterSalt);
    }

    [Fact]
    public void FromKeyingMaterial_WrongLengthOrProfile_Throws()
    {
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromKeyingMaterial(1, new byte[59], true));
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromKeyingMaterial(5, new byte[60], true));
    }
}
