using System.Collections.Concurrent;

namespace MediaRelay.Sfu;

/// <summary>Events the router raises to the room's control plane (ARCHITECTURE habit 5: listeners, not events).</summary>
public interface IRouterListener
{
    void OnRouterProducerAdded(Producer producer);
    void OnRouterProducerClosed(Producer producer);
}

/// <summary>
/// The fan-out map of one room: producer → consumers. Control-plane methods are thread-safe; the media loop only
/// reads the producers' copy-on-write consumer arrays.
/// </summary>
public sealed class Router
{
    private readonly ConcurrentDictionary<string, Producer> _producers = new(StringComparer.Ordinal);
    private readonly IRouterListener? _listener;

    public Router(IRouterListener? listener = null) => _listener = listener;

    public ICollection<Producer> Producers => _producers.Values;

    public bool TryGetProducer(string id, out Producer producer) => _producers.TryGetValue(id, out producer!);

    public void AddProducer(Producer producer)
    {
        if (!_producers.TryAdd(producer.Id, producer))
        {
            throw new InvalidOperationException($"Producer {producer.Id} exists already.");
        }
        _listener?.OnRouterProducerAdded(producer);
    }

    /// <summary>Closes a producer and every consumer of it. Returns the consumers so their owners can forget them.</summary>
    public IReadOnlyList<Consumer> CloseProducer(string producerId)
    {
        if (!_producers.TryRemove(producerId, out Producer? producer))
        {
            return [];
        }
        Consumer[] consumers = producer.Close();
        foreach (Consumer c in consumers)
        {
            c.IsClosed = true;
        }
        _listener?.OnRouterProducerClosed(producer);
        return consumers;
    }

    public Consumer CreateConsumer(Producer producer, string consumerId, string subscriberId, IRtpEgress egress,
        uint ssrc, byte payloadType, ushort initialSequence, uint initialTimestamp, byte redPayloadType = 0,
        uint rtxSsrc = 0, byte rtxPayloadType = 0)
    {
        if (producer.IsClosed)
        {
            throw new InvalidOperationException($"Producer {producer.Id} is closed.");
        }
        var consumer = new Consumer(consumerId, producer, subscriberId, egress, ssrc, payloadType, initialSequence,
            initialTimestamp, redPayloadType, rtxSsrc, rtxPayloadType);
        producer.AddConsumer(consumer);
        return consumer;
    }

    public void CloseConsumer(Consumer consumer)
    {
        consumer.IsClosed = true;
        consumer.Producer.RemoveConsumer(consumer);
    }
}
