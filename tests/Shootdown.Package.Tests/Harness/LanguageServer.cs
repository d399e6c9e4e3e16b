using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>
    /// The client end of a JSON-RPC conversation with a language server started over stdio: requests with their responses,
    /// notifications queued for the test, and the server's own requests (workspace/configuration, say) answered by a callback.
    /// </summary>
    internal sealed class LanguageServer : IAsyncDisposable
    {
        private static readonly TimeSpan ShutdownLimit = TimeSpan.FromSeconds(5);
        private const int LogTail = 8000;

        private readonly Process _process;
        private readonly Func<string, JsonNode?, JsonNode?> _answer;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
        private readonly Channel<JsonObject> _notifications = Channel.CreateUnbounded<JsonObject>();
        private readonly SemaphoreSlim _writing = new(1, 1);
        private readonly StringBuilder _log = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reader;
        private int _nextId;

        private LanguageServer(Process process, Func<string, JsonNode?, JsonNode?> answer)
        {
            _process = process;
            _answer = answer;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                    if (_log.Length > 2 * LogTail) _log.Remove(0, _log.Length - LogTail);
                }
            };
            _process.BeginErrorReadLine();
            _reader = Task.Run(ReadLoopAsync);
        }

        /// <summary>
        /// Starts <paramref name="executable"/> in <paramref name="workingDirectory"/>; <paramref name="answer"/> gets each
        /// request the server sends (method, params) and returns its result.
        /// </summary>
        public static LanguageServer Start(string executable, string workingDirectory, string[] arguments, Func<string, JsonNode?, JsonNode?> answer)
        {
            var info = Dotnet.StartInfo(executable, workingDirectory, arguments);
            info.RedirectStandardInput = true;
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + executable);
            return new LanguageServer(process, answer);
        }

        /// <summary>The end of what the server wrote to stderr, for failure messages.</summary>
        public string Log
        {
            get { lock (_log) return _log.Length > LogTail ? _log.ToString(_log.Length - LogTail, LogTail) : _log.ToString(); }
        }

        public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, CancellationToken cancellation)
        {
            var id = Interlocked.Increment(ref _nextId);
            var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = response;
            try
            {
                await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }, cancellation).ConfigureAwait(false);
                return await response.Task.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"no response to {method}\n--- server log ---\n{Log}");
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
        }

        public Task NotifyAsync(string method, JsonNode? parameters, CancellationToken cancellation) =>
            SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters }, cancellation);

        /// <summary>
        /// The params of the first notification of <paramref name="method"/> that <paramref name="match"/> accepts; notifications
        /// read on the way are dropped. Throws a <see cref="TimeoutException"/> naming the last one of that method it saw.
        /// </summary>
        public async Task<JsonNode?> WaitForAsync(string method, Func<JsonNode?, bool> match, CancellationToken cancellation)
        {
            JsonNode? last = null;
            try
            {
                while (true)
                {
                    var message = await _notifications.Reader.ReadAsync(cancellation).ConfigureAwait(false);
                    if ((string?)message["method"] != method) continue;
                    var parameters = message["params"];
                    if (match(parameters)) return parameters;
                    last = parameters;
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching {method}; the last one was {last?.ToJsonString() ?? "none"}\n--- server log ---\n{Log}");
            }
            catch (ChannelClosedException closed)
            {
                throw new InvalidOperationException($"the server stopped before a matching {method}; the last one was {last?.ToJsonString() ?? "none"}\n--- server log ---\n{Log}", closed);
            }
        }

        /// <summary>Asks the server to shut down and exit as the protocol says, and kills it if it does not within a few seconds.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                using var limit = new CancellationTokenSource(ShutdownLimit);
                try
                {
                    await RequestAsync("shutdown", null, limit.Token).ConfigureAwait(false);
                    await NotifyAsync("exit", null, limit.Token).ConfigureAwait(false);
                    await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
                {
                    // A server that will not stop is no concern of the test that used it; it must not outlive the test run.
                }
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _reader.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The read loop was waiting on a pipe that is gone.
            }
            _process.Dispose();
            _writing.Dispose();
            _stop.Dispose();
        }

        private async Task SendAsync(JsonObject message, CancellationToken cancellation)
        {
            await _writing.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                await LspFraming.WriteAsync(_process.StandardInput.BaseStream, message, cancellation).ConfigureAwait(false);
            }
            finally
            {
                _writing.Release();
            }
        }

        private async Task ReadLoopAsync()
        {
            Exception? ended = null;
            try
            {
                var stdout = _process.StandardOutput.BaseStream;
                while (await LspFraming.ReadAsync(stdout, _stop.Token).ConfigureAwait(false) is { } message)
                {
                    var hasId = message.TryGetPropertyValue("id", out var id) && id != null;
                    var method = (string?)message["method"];
                    if (method != null && hasId)
                        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id!.DeepClone(), ["result"] = _answer(method, message["params"]) }, _stop.Token).ConfigureAwait(false);
                    else if (method != null)
                        _notifications.Writer.TryWrite(message);
                    else if (hasId && _pending.TryGetValue((int)id!, out var waiting))
                    {
                        if (message["error"] is { } error) waiting.TrySetException(new InvalidOperationException("LSP error: " + error.ToJsonString()));
                        else waiting.TrySetResult(message["result"]);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ended = e;
            }
            finally
            {
                var stopped = new InvalidOperationException($"the server's output ended\n--- server log ---\n{Log}", ended);
                foreach (var waiting in _pending.Values) waiting.TrySetException(stopped);
                _notifications.Writer.TryComplete(ended);
            }
        }
    }
}
