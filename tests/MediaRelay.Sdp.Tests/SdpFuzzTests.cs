namespace MediaRelay.Sdp.Tests;

/// <summary>
/// "Garbage never throws" for the SDP parser: random mutations of the golden bodies either parse or raise
/// <see cref="SdpParseException"/> (any other exception fails the test). Whatever parses must survive every typed
/// getter, and its written form must re-parse to the same text.
/// </summary>
public class SdpFuzzTests
{
    private const int IterationsPerSample = 2500;

    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string file in SdpSamples.AllFiles)
            {
                data.Add(file, 1);
                data.Add(file, 2);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutations_only_ever_throw_SdpParseException(string file, int seed)
    {
        string original = SdpSamples.ReadCrlf(file);
        var random = new Random(seed * 7919 + file.Length);
        int parsed = 0;
        int refused = 0;

        for (int i = 0; i < IterationsPerSample; i++)
        {
            string mutated = Mutate(original, random);
            Assert.True(SessionDescription.TryParse(mutated, out SessionDescription? viaTry, out _) || viaTry is null);

            SessionDescription sdp;
            try
            {
                sdp = SessionDescription.Parse(mutated);
            }
            catch (SdpParseException ex)
            {
                Assert.InRange(ex.LineNumber, 0, SdpLimits.MaxLines + 1);
                refused++;
                continue;
            }

            parsed++;
            ExerciseGetters(sdp);
            string written = sdp.ToString();
            Assert.Equal(written, SessionDescription.Parse(written).ToString());
        }

        // Both outcomes must actually be exercised.
        Assert.True(parsed > 50, $"only {parsed} mutations parsed");
        Assert.True(refused > 50, $"only {refused} mutations were refused");
    }

    [Fact]
    public void Random_bytes_only_ever_throw_SdpParseException()
    {
        var random = new Random(42);
        for (int i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) == 0 ? "v=0\r\nam:/ "[random.Next(10)] : (char)random.Next(0, 256);
            }

            string text = (random.Next(2) == 0 ? "v=0\n" : string.Empty) + new string(chars);
            try
            {
                ExerciseGetters(SessionDescription.Parse(text));
            }
            catch (SdpParseException)
            {
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        int rounds = random.Next(1, 4);
        for (int r = 0; r < rounds; r++)
        {
            switch (random.Next(7))
            {
                case 0: // truncate
                    text = text[..random.Next(text.Length + 1)];
                    break;
                case 1: // flip characters, including CR, LF, NUL and non-ASCII
                    char[] chars = text.ToCharArray();
                    for (int n = random.Next(1, 6); n > 0 && chars.Length > 0; n--)
                    {
                        chars[random.Next(chars.Length)] = (char)random.Next(0, 256);
                    }

                    text = new string(chars);
                    break;
                case 2: // swap two lines
                {
                    List<string> lines = [.. text.Split("\r\n")];
                    int a = random.Next(lines.Count);
                    int b = random.Next(lines.Count);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    text = string.Join("\r\n", lines);
                    break;
                }

                case 3: // shuffle a whole run of lines
                {
                    string[] lines = text.Split("\r\n");
                    int start = random.Next(lines.Length);
                    random.Shuffle(lines.AsSpan(start, Math.Min(lines.Length - start, random.Next(2, 12))));
                    text = string.Join("\r\n", lines);
                    break;
                }

                case 4: // delete a line
                {
                    List<string> lines = [.. text.Split("\r\n")];
                    lines.RemoveAt(random.Next(lines.Count));
                    text = string.Join("\r\n", lines);
                    break;
                }

                case 5: // duplicate a line
                {
                    List<string> lines = [.. text.Split("\r\n")];
                    int at = random.Next(lines.Count);
                    lines.Insert(at, lines[at]);
                    text = string.Join("\r\n", lines);
                    break;
                }

                default: // replace a token inside a line with digits or separators
                {
                    int at = random.Next(text.Length + 1);
                    string insert = random.Next(4) switch
                    {
                        0 => " ",
                        1 => ":",
                        2 => "/",
                        _ => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    };
                    text = text.Insert(at, insert);
                    break;
                }
            }
        }

        return text;
    }

    private static void ExerciseGetters(SessionDescription sdp)
    {
        _ = sdp.GetGroups();
        _ = sdp.GetBundleGroups();
        _ = sdp.IceLite;
        _ = sdp.MsidSemantic;
        _ = sdp.Fingerprint;
        _ = sdp.Setup;
        foreach (MediaDescription media in sdp.Media)
        {
            _ = media.Mid;
            _ = media.Direction;
            _ = sdp.GetIceUfrag(media);
            _ = sdp.GetIcePwd(media);
            _ = sdp.GetIceOptions(media);
            _ = sdp.GetFingerprints(media);
            _ = sdp.GetSetup(media);
            _ = sdp.GetDirection(media);
            _ = media.Msid;
            _ = media.Simulcast;
            _ = media.Rtcp;
            _ = media.Ptime;
            _ = media.MaxPtime;
            foreach (SdpRtpMap map in media.GetRtpMaps())
            {
                _ = map.GetFmtpParameters();
                _ = map.AssociatedPayloadType;
                _ = map.ToString();
            }

            foreach (SdpCandidate candidate in media.GetCandidates())
            {
                Assert.True(SdpCandidate.TryParse(candidate.ToString(), out _));
            }

            _ = media.GetExtMaps().Select(e => e.ToString()).ToList();
            _ = media.GetSsrcs();
            _ = media.GetSsrcGroups();
            _ = media.GetRids().Select(r => r.ToString()).ToList();
            _ = media.GetCryptos().Select(c => c.ToString()).ToList();
            _ = media.ToString();
        }
    }
}
