namespace MediaRelay.Recording.Native;

/// <summary>Shares one set of encoded inputs between the native muxer test classes.</summary>
[CollectionDefinition(Name)]
public sealed class FfmpegInputsCollection : ICollectionFixture<FfmpegInputs>
{
    public const string Name = "ffmpeg inputs";
}
