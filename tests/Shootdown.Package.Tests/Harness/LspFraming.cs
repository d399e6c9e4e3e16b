using System;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>
    /// The base protocol of LSP: each JSON-RPC message is a UTF-8 body preceded by a <c>Content-Length</c> header and a blank line.
    /// </summary>
    internal static class LspFraming
    {
        private const string LengthHeader = "Content-Length:";

        public static async Task WriteAsync(Stream stream, JsonObject message, CancellationToken cancellation)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            var header = Encoding.ASCII.GetBytes($"{LengthHeader} {body.Length}\r\n\r\n");
            await stream.WriteAsync(header, cancellation).ConfigureAwait(false);
            await stream.WriteAsync(body, cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
        }

        /// <summary>The next message, or null when the stream ends between two messages.</summary>
        public static async Task<JsonObject?> ReadAsync(Stream stream, CancellationToken cancellation)
        {
            int? length = null;
            while (true)
            {
                var line = await ReadHeaderLineAsync(stream, cancellation).ConfigureAwait(false);
                if (line == null) return null;
                if (line.Length == 0) break;
                // Content-Type is the only other header the protocol defines, and it only ever says utf-8.
                if (line.StartsWith(LengthHeader, StringComparison.OrdinalIgnoreCase))
                    length = int.Parse(line.AsSpan(LengthHeader.Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            if (length is not int size) throw new InvalidDataException("LSP message without Content-Length");

            var body = new byte[size];
            await stream.ReadExactlyAsync(body, cancellation).ConfigureAwait(false);
            return JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException("LSP message is not a JSON object: " + Encoding.UTF8.GetString(body));
        }

        // Byte by byte: the body that follows is counted in bytes, so nothing may be read ahead into a text decoder's buffer.
        private static async Task<string?> ReadHeaderLineAsync(Stream stream, CancellationToken cancellation)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one, cancellation).ConfigureAwait(false) == 0)
                {
                    if (line.Length == 0) return null;
                    throw new EndOfStreamException("LSP stream ended inside a header: " + line);
                }
                if (one[0] == '\n') return line.ToString().TrimEnd('\r');
                line.Append((char)one[0]);
            }
        }
    }
}
