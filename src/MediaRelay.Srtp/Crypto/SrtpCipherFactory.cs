using MediaRelay.Core;
using MediaRelay.Srtp.Native;

namespace MediaRelay.Srtp.Crypto;

/// <summary>Picks the crypto backend for a context (cold path).</summary>
internal static class SrtpCipherFactory
{
    /// <summary>Auto resolves to Native (measured faster, see SrtpBenchmarks) when libcrypto loads, else Managed.</summary>
    public static SrtpBackend Resolve(SrtpBackend requested)
    {
        switch (requested)
        {
            case SrtpBackend.Auto:
                return LibCrypto.IsAvailable ? SrtpBackend.Native : SrtpBackend.Managed;
            case SrtpBackend.Native:
                if (!LibCrypto.IsAvailable)
                {
                    ThrowHelper.ThrowInvalidOperation($"OpenSSL {LibCrypto.LibraryName} cannot be loaded; use SrtpBackend.Managed or Auto.");
                }

                return SrtpBackend.Native;
            case SrtpBackend.Managed:
                return SrtpBackend.Managed;
            default:
                ThrowHelper.ThrowArgument($"Unknown SRTP backend {requested}.", nameof(requested));
                return default;
        }
    }

    public static SrtpCounterModeCipher CreateCounterMode(SrtpBackend backend, ReadOnlySpan<byte> key, ReadOnlySpan<byte> authKey) =>
        backend == SrtpBackend.Native
            ? new NativeCounterModeCipher(key, authKey)
            : new ManagedCounterModeCipher(key, authKey);

    public static SrtpAeadCipher CreateAead(SrtpBackend backend, ReadOnlySpan<byte> key) =>
        backend == SrtpBackend.Native
            ? new NativeAeadCipher(key)
            : new ManagedAeadCipher(key);
}
