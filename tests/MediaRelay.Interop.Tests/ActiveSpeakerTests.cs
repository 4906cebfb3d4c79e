using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// One of three doctors talks (a speech-like WAV as fake microphone); the others' fake microphones only beep. The
/// server's detector, fed by the RFC 6464 levels Chromium puts on every audio packet, names the talker, and every page
/// highlights the talker's tile and list entry.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ActiveSpeakerTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task TheTalkingDoctorIsHighlightedOnEveryPage()
    {
        string directory = Directory.CreateTempSubdirectory("mediarelay-speech-").FullName;
        try
        {
            string wav = SpeechLikeWav.Create(directory);
            await using var call = await TwoPartyCall.StartAsync(chromium, output, "speaker-room");
            IPage talker = await call.OpenAsync(chromium, output, "speaker-room", "Dr Talker",
                new() { Args = [$"--use-file-for-fake-audio-capture={wav}"] });
            string talkerId = await RoomPages.ParticipantIdAsync(talker);

            foreach (IPage listener in new[] { call.PageA, call.PageB })
            {
                await listener.Locator($".tile.speaking[data-participant=\"{talkerId}\"]").WaitForAsync(
                    new LocatorWaitForOptions { Timeout = 20_000 });
                Assert.Equal(1, await listener.Locator($"#participants li.speaking[data-participant=\"{talkerId}\"]").CountAsync());
                Assert.Equal(1, await listener.Locator(".tile.speaking").CountAsync());
            }
            // The talker's own page marks its own tile.
            await talker.Locator(".tile.speaking[data-participant=\"local\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
            Assert.Equal(talkerId, call.Server.Services.GetRoom("speaker-room")?.Speakers.DominantSpeaker);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
