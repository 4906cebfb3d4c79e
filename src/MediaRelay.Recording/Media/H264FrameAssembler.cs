using System.Buffers.Binary;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Reassembles H.264 access units from RTP (RFC 6184, packetization-mode 0 and 1): single NAL unit packets (§5.6),
/// STAP-A (§5.7.1) and FU-A (§5.8, S/E bits, NAL header rebuilt from the FU indicator's F|NRI and the FU header's
/// type). All packets of an access unit share the RTP timestamp; the marker bit (or, leniently, a timestamp change
/// with no packet missing) ends it. Output is Annex B: each NAL unit prefixed with 00 00 00 01.
/// An access unit is a keyframe when it holds an IDR slice; the latest SPS and PPS are kept and prepended to a
/// keyframe that lacks them (a keyframe is only emitted once both are known). Width and height come from the SPS.
/// Any missing packet drops the access unit and everything until the next keyframe; the stream starts at one.
/// STAP-B, MTAP and FU-B (interleaved mode) are not supported and count as invalid.
/// </summary>
public sealed class H264FrameAssembler : IFrameAssembler
{
    private enum State
    {
        Idle,
        Building,
        Skipping,
    }

    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private readonly FrameRing _ring;
    private RtpTimestampUnwrapper _timestamps;
    private State _state;
    private long _lastSequence = long.MinValue;
    private long _frameTimestamp;
    private long _frameArrival;
    private bool _waitingForKeyframe = true;
    private bool _inFragment;
    private int _fragmentStart;
    private bool _unitIdr;
    private bool _unitSps;
    private bool _unitPps;
    private bool _unitSlice;
    private byte[] _sps = new byte[64];
    private int _spsLength;
    private byte[] _pps = new byte[64];
    private int _ppsLength;
    private int _width;
    private int _height;

    public H264FrameAssembler(int initialFrameCapacity = 64 * 1024) => _ring = new FrameRing(initialFrameCapacity);

    public long FramesEmitted { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>Packets with an unsupported or malformed payload structure.</summary>
    public long PacketsInvalid { get; private set; }

    public bool WaitingForKeyframe => _waitingForKeyframe;

    /// <summary>The latest SPS NAL unit seen (no start code), empty before one arrived.</summary>
    public ReadOnlySpan<byte> SequenceParameterSet => _sps.AsSpan(0, _spsLength);

    /// <summary>The latest PPS NAL unit seen (no start code), empty before one arrived.</summary>
    public ReadOnlySpan<byte> PictureParameterSet => _pps.AsSpan(0, _ppsLength);

    public void Push(RtpPacket packet, long sequence, long arrivalMicroseconds)
    {
        if (_lastSequence != long.MinValue && sequence <= _lastSequence)
        {
            return;
        }
        bool gap = _lastSequence != long.MinValue && sequence != _lastSequence + 1;
        _lastSequence = sequence;
        if (gap)
        {
            Break();
        }

        ReadOnlySpan<byte> payload = packet.Payload;
        if (payload.IsEmpty)
        {
            return;
        }
        long timestamp = _timestamps.Unwrap(packet.Timestamp);
        if (_state != State.Idle && timestamp != _frameTimestamp)
        {
            if (_state == State.Building)
            {
                Commit(); // no marker, nothing missing
            }
            _state = State.Idle;
        }
        if (_state == State.Skipping)
        {
            return;
        }
        if (_state == State.Idle)
        {
            if (payload.Length >= 2 && (payload[0] & 0x1F) == H264Packetization.NalTypeFuA && (payload[1] & 0x80) == 0)
            {
                // The rest of a fragmented NAL unit whose start was lost: skip this access unit.
                _waitingForKeyframe = true;
                _state = State.Skipping;
                _frameTimestamp = timestamp;
                return;
            }
            BeginUnit(timestamp);
        }

        if (!AppendPayload(payload))
        {
            PacketsInvalid++;
            Break();
            _state = State.Skipping;
            _frameTimestamp = timestamp;
            return;
        }
        _frameArrival = arrivalMicroseconds;
        if (packet.Marker)
        {
            Commit();
        }
    }

    public bool TryTakeFrame(out EncodedFrame frame) => _ring.TryTake(out frame);

    public void Flush()
    {
        if (_state == State.Building)
        {
            FramesDropped++;
            _ring.Reset();
        }
        _state = State.Idle;
    }

    private void BeginUnit(long timestamp)
    {
        _state = State.Building;
        _frameTimestamp = timestamp;
        _inFragment = false;
        _unitIdr = _unitSps = _unitPps = _unitSlice = false;
        _ring.Reset();
    }

    // Drops the access unit being built and waits for the next keyframe.
    private void Break()
    {
        if (_state == State.Building && _ring.BuildingLength > 0)
        {
            FramesDropped++;
            _ring.Reset();
        }
        _state = State.Idle;
        _inFragment = false;
        _waitingForKeyframe = true;
    }

    private bool AppendPayload(ReadOnlySpan<byte> payload)
    {
        int type = payload[0] & 0x1F;
        if (type >= 1 && type <= 23)
        {
            if (_inFragment)
            {
                return false;
            }
            AppendNal(payload);
            return true;
        }
        if (type == H264Packetization.NalTypeStapA)
        {
            if (_inFragment || !IsValidAggregate(payload))
            {
                return false;
            }
            int offset = 1;
            while (offset < payload.Length)
            {
                int size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
                AppendNal(payload.Slice(offset + 2, size));
                offset += 2 + size;
            }
            return true;
        }
        if (type == H264Packetization.NalTypeFuA)
        {
            return AppendFragment(payload);
        }
        return false;
    }

    // RFC 6184 §5.8: FU indicator (F|NRI|28), FU header (S|E|R|Type), fragment bytes.
    private bool AppendFragment(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 3)
        {
            return false;
        }
        byte header = payload[1];
        bool start = (header & 0x80) != 0;
        bool end = (header & 0x40) != 0;
        if (start == _inFragment || (start && end))
        {
            return false; // S while a fragment is open, continuation without S, or S and E together (§5.8)
        }
        if (start)
        {
            _ring.Append(StartCode);
            _fragmentStart = _ring.BuildingLength;
            Span<byte> nalHeader = [(byte)((payload[0] & 0xE0) | (header & 0x1F))];
            _ring.Append(nalHeader);
            _inFragment = true;
        }
        _ring.Append(payload[2..]);
        if (end)
        {
            _inFragment = false;
            NoteNal(_fragmentStart);
        }
        return true;
    }

    // RFC 6184 §5.7.1: STAP-A header, then (16-bit size, NAL unit)+ filling the payload exactly.
    private static bool IsValidAggregate(ReadOnlySpan<byte> payload)
    {
        int offset = 1;
        int count = 0;
        while (offset < payload.Length)
        {
            if (payload.Length - offset < 2)
            {
                return false;
            }
            int size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
            offset += 2;
            if (size == 0 || size > payload.Length - offset)
            {
                return false;
            }
            int inner = payload[offset] & 0x1F;
            if (inner == 0 || inner > 23)
            {
                return false;
            }
            offset += size;
            count++;
        }
        return count > 0;
    }

    private void AppendNal(ReadOnlySpan<byte> nal)
    {
        _ring.Append(StartCode);
        int start = _ring.BuildingLength;
        _ring.Append(nal);
        NoteNal(start);
    }

    private void NoteNal(int start)
    {
        ReadOnlySpan<byte> nal = _ring.Building[start..];
        switch (nal[0] & 0x1F)
        {
            case >= 1 and <= 4:
                _unitSlice = true;
                break;
            case H264Packetization.NalTypeIdr:
                _unitSlice = true;
                _unitIdr = true;
                break;
            case H264Packetization.NalTypeSps:
                _unitSps = true;
                Keep(ref _sps, ref _spsLength, nal);
                if (H264SequenceParameterSet.TryReadSize(nal, out int width, out int height))
                {
                    _width = width;
                    _height = height;
                }
                break;
            case H264Packetization.NalTypePps:
                _unitPps = true;
                Keep(ref _pps, ref _ppsLength, nal);
                break;
        }
    }

    private void Commit()
    {
        _state = State.Idle;
        if (_inFragment || !_unitSlice)
        {
            // An FU never closed (its end packet had the marker missing) or parameter sets only: nothing to emit.
            if (_inFragment)
            {
                FramesDropped++;
            }
            _inFragment = false;
            _ring.Reset();
            return;
        }
        bool keyframe = _unitIdr && _spsLength > 0 && _ppsLength > 0;
        if (_waitingForKeyframe && !keyframe)
        {
            FramesDropped++;
            _ring.Reset();
            return;
        }
        if (keyframe && (!_unitSps || !_unitPps))
        {
            ReadOnlySpan<byte> building = _ring.Building;
            // Keep an access unit delimiter (type 9, 2 bytes) first, as §7.4.1.2.3 requires.
            int at = building.Length >= 6 && (building[4] & 0x1F) == 9 ? 6 : 0;
            if (!_unitPps)
            {
                _ring.Insert(at, PictureParameterSet);
                _ring.Insert(at, StartCode);
            }
            if (!_unitSps)
            {
                _ring.Insert(at, SequenceParameterSet);
                _ring.Insert(at, StartCode);
            }
        }
        _waitingForKeyframe = false;
        _ring.Commit(_frameTimestamp, keyframe, _width, _height, _frameArrival);
        FramesEmitted++;
    }

    private static void Keep(ref byte[] store, ref int length, ReadOnlySpan<byte> nal)
    {
        if (store.Length < nal.Length)
        {
            store = new byte[nal.Length];
        }
        nal.CopyTo(store);
        length = nal.Length;
    }
}
