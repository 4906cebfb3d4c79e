using Org.BouncyCastle.Tls;

namespace MediaRelay.Dtls;

/// <summary>Turns a failed BouncyCastle handshake into the short reason given to OnDtlsFailed.</summary>
internal static class DtlsFailureReason
{
    internal static string Describe(Exception exception, string? ownReason)
    {
        if (ownReason is not null)
        {
            return ownReason;
        }

        return exception switch
        {
            TlsFatalAlertReceived received => "peer sent fatal alert " + AlertDescription.GetText(received.AlertDescription),
            TlsTimeoutException => "handshake timed out",
            TlsFatalAlert { InnerException: TlsTimeoutException } => "handshake timed out",
            TlsFatalAlert alert => "fatal alert " + AlertDescription.GetText(alert.AlertDescription)
                + (alert.InnerException is null ? string.Empty : " (" + alert.InnerException.Message + ")"),
            IOException io => "transport error: " + io.Message,
            _ => exception.GetType().Name + ": " + exception.Message,
        };
    }
}
