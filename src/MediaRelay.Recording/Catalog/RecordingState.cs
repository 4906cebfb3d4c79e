namespace MediaRelay.Recording.Catalog;

/// <summary>Where a recording is in its life (stored as lower-case text in the catalog).</summary>
public enum RecordingState
{
    /// <summary>Journals are being written.</summary>
    Recording,

    /// <summary>Stopped; the finalizer is turning the journals into files.</summary>
    Finalizing,

    /// <summary>Files are ready to download.</summary>
    Complete,

    /// <summary>Stopped by an error (disk full, a journal that could not be written); what was saved is finalized.</summary>
    Failed,
}
