using System.Buffers;
using System.IO.Pipelines;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// A request body read once into a <see cref="Pipe"/>'s pooled segments, bounded: the parser reads
/// those segments in place, and the forwarder reads the very same bytes back through
/// <see cref="ForwardingStream"/> (no second copy of the body). Reading it all before forwarding
/// consumes as it goes, so HTTP/2 flow control and Kestrel's request buffer limit never stall it.
/// </summary>
internal sealed class JsonRpcBodyBuffer : IDisposable
{
    // Flushed once, at the end, by the only reader: the writer must never wait for that reader.
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private const int ChunkSize = 16 * 1024;

    private readonly Pipe _pipe;
    private bool _forwarding;
    private bool _disposed;

    private JsonRpcBodyBuffer(Pipe pipe, ReadOnlySequence<byte> body)
    {
        _pipe = pipe;
        Body = body;
    }

    /// <summary>The whole body, valid until <see cref="Dispose"/> (or until the forwarder consumes it).</summary>
    public ReadOnlySequence<byte> Body { get; }

    /// <summary>
    /// Reads <paramref name="source"/> to its end, or returns null as soon as more than
    /// <paramref name="maxBytes"/> bytes arrived (the rest is left unread).
    /// </summary>
    /// <param name="source">The request body.</param>
    /// <param name="contentLength">The declared length, when known: read into one segment of that size.</param>
    /// <param name="maxBytes">The bound.</param>
    /// <param name="cancellationToken">Request abort.</param>
    public static async ValueTask<JsonRpcBodyBuffer?> ReadAsync(Stream source, long? contentLength, int maxBytes, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(Options);
        PipeWriter writer = pipe.Writer;
        long total = 0;
        try
        {
            while (true)
            {
                // One more byte than declared, so a body longer than its Content-Length is still seen whole.
                int hint = contentLength is { } length && length >= total ? (int)Math.Min(length - total + 1, maxBytes + 1L) : ChunkSize;
                Memory<byte> memory = writer.GetMemory(Math.Max(hint, 1));
                int read = await source.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxBytes)
                {
                    await writer.CompleteAsync().ConfigureAwait(false);
                    await pipe.Reader.CompleteAsync().ConfigureAwait(false);
                    return null;
                }

                writer.Advance(read);
            }

            await writer.CompleteAsync().ConfigureAwait(false);

            // The writer is complete: this returns at once with everything written.
            ReadResult result = await pipe.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new JsonRpcBodyBuffer(pipe, result.Buffer);
        }
        catch
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A stream over the buffered body from its start, to become <c>HttpRequest.Body</c>: what the
    /// endpoint (YARP) reads. Call once; segments return to the pool as they are read.
    /// </summary>
    public Stream ForwardingStream()
    {
        if (_forwarding)
        {
            throw new InvalidOperationException("The buffered body is already being forwarded.");
        }

        _forwarding = true;

        // Nothing consumed, everything examined: the next read returns the whole body again.
        _pipe.Reader.AdvanceTo(Body.Start, Body.End);
        return _pipe.Reader.AsStream(leaveOpen: true);
    }

    /// <summary>Returns the segments to the pool (at the end of the request).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_forwarding)
        {
            // End the read that produced Body before completing (a refused body is never forwarded).
            _pipe.Reader.AdvanceTo(Body.End);
        }

        _pipe.Reader.Complete();
    }
}
