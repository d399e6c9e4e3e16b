using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Shootdown.Package.Tests.Harness;
using Xunit.Abstractions;

namespace Shootdown.Package.Tests
{
    /// <summary>
    /// The package in a real editor's language server: csharp-ls, installed as a dotnet tool, loads a fresh consumer of the
    /// packed package and pushes the analyzer's squiggle for the file the editor opened.
    /// </summary>
    public sealed class EditorTests : IClassFixture<PackedFeed>
    {
        private const string CsharpLsVersion = "0.28.0";

        // The classes of the tool's end-to-end test: SHD002 on the unsafe class's invalidation mode (broadcast, fast GUP,
        // tables freed without RCU), nothing on the safe one (IPIs and RCU table freeing).
        private static readonly string Classes = ConsumerClasses.Source;

        // Everything after the package is packed: the tool install, the restore, loading the project and analysing it.
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

        private readonly PackedFeed _feed;
        private readonly ITestOutputHelper _output;

        public EditorTests(PackedFeed feed, ITestOutputHelper output)
        {
            _feed = feed;
            _output = output;
            Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        }

        [SkippableFact]
        public async Task Csharp_ls_publishes_the_analyzer_error_on_the_flagged_argument_and_nothing_for_the_safe_class()
        {
            var clock = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(Budget);
            TimeSpan Left() => Budget > clock.Elapsed ? Budget - clock.Elapsed : TimeSpan.Zero;

            var server = InstallCsharpLs(Left());
            var consumer = new ConsumerProject(_feed, "editor").With("Arch.cs", Classes);
            _output.WriteLine($"csharp-ls installed after {clock.Elapsed.TotalSeconds:F1} s");
            var restore = consumer.Restore(Left());
            Assert.True(restore.ExitCode == 0, restore.ToString());
            _output.WriteLine($"consumer restored after {clock.Elapsed.TotalSeconds:F1} s");
            var file = Path.Combine(consumer.Directory, "Arch.cs");
            var uri = new Uri(file).AbsoluteUri;

            await using var lsp = LanguageServer.Start(server, consumer.Directory, [], AnswerServerRequest);
            var root = new Uri(consumer.Directory).AbsoluteUri;
            await lsp.RequestAsync("initialize", new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = root,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = root, ["name"] = "editor" }),
                // workspace.configuration makes csharp-ls ask for its settings. No textDocument.diagnostic: a client that can
                // pull diagnostics gets none pushed.
                ["capabilities"] = new JsonObject
                {
                    ["workspace"] = new JsonObject { ["configuration"] = true },
                    ["textDocument"] = new JsonObject { ["publishDiagnostics"] = new JsonObject() },
                },
            }, deadline.Token);
            await lsp.NotifyAsync("initialized", new JsonObject(), deadline.Token);
            await lsp.NotifyAsync("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = Classes },
            }, deadline.Token);

            // Publications before the project is loaded, or without analyzers, carry no SHD code; wait for the one that does.
            var published = await lsp.WaitForAsync("textDocument/publishDiagnostics",
                p => SameFile((string?)p?["uri"], file) && Shd(p).Any(), deadline.Token);
            _output.WriteLine($"SHD002 published after {clock.Elapsed.TotalSeconds:F1} s");

            var shd = Shd(published).ToArray();
            var diagnostic = Assert.Single(shd);
            Assert.Equal("SHD002", (string?)diagnostic["code"]);
            Assert.Equal(1, (int?)diagnostic["severity"]);
            var (line, start, end) = ArgumentOf(Classes, "[TlbInvalidation(Invalidation.HardwareBroadcast)]", "Invalidation.HardwareBroadcast");
            var range = diagnostic["range"]!;
            Assert.Equal((line, start, line, end),
                ((int)range["start"]!["line"]!, (int)range["start"]!["character"]!, (int)range["end"]!["line"]!, (int)range["end"]!["character"]!));
            var (safeFrom, safeTo) = Lines(Classes, "[Architecture(\"consumer-safe\")]", "/// <summary>Unsafe.</summary>");
            Assert.DoesNotContain(shd, d => (int)d["range"]!["start"]!["line"]! is var l && l >= safeFrom && l < safeTo);
        }

        // csharp-ls 0.28 runs analyzers only with the `csharp.analyzersEnabled` setting, which it reads from the client by a
        // workspace/configuration request for the "csharp" section after `initialized` (not from initializationOptions).
        private static JsonNode? AnswerServerRequest(string method, JsonNode? parameters)
        {
            if (method != "workspace/configuration") return null;
            var items = parameters?["items"]?.AsArray() ?? new JsonArray();
            return new JsonArray(items.Select(item => (string?)item?["section"] == "csharp"
                ? new JsonObject { ["analyzersEnabled"] = true }
                : null).ToArray<JsonNode?>());
        }

        // A missing registry is the machine's limit, not the package's fault: skip. Anything after this must work.
        private string InstallCsharpLs(TimeSpan limit)
        {
            var tools = Path.Combine(_feed.Root, "editor-tools");
            CommandResult install;
            try
            {
                install = Dotnet.Run(_feed.Root, limit, "tool", "install", "csharp-ls", "--version", CsharpLsVersion, "--tool-path", tools);
            }
            catch (TimeoutException timeout)
            {
                throw new SkipException($"csharp-ls {CsharpLsVersion} could not be restored in time: {timeout.Message}");
            }
            Skip.If(install.ExitCode != 0, $"csharp-ls {CsharpLsVersion} could not be restored from the package sources: {install}");
            return Path.Combine(tools, OperatingSystem.IsWindows() ? "csharp-ls.exe" : "csharp-ls");
        }

        private static IEnumerable<JsonNode> Shd(JsonNode? published) =>
            (published?["diagnostics"]?.AsArray() ?? new JsonArray())
                .Where(d => d != null && ((string?)d["code"])?.StartsWith("SHD", StringComparison.Ordinal) == true)!;

        private static bool SameFile(string? uri, string file) =>
            uri != null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile
            && string.Equals(Path.GetFullPath(parsed.LocalPath), Path.GetFullPath(file), StringComparison.Ordinal);

        // Zero-based, as LSP counts: the line holding lineText and the columns of token on it.
        private static (int Line, int Start, int End) ArgumentOf(string text, string lineText, string token)
        {
            var lines = text.Split('\n');
            var line = Array.FindIndex(lines, l => l.TrimEnd('\r') == lineText);
            Assert.True(line >= 0, lineText);
            var start = lines[line].IndexOf(token, StringComparison.Ordinal);
            Assert.True(start >= 0, token);
            return (line, start, start + token.Length);
        }

        // The zero-based lines from the one that is first up to, not including, the one that is next.
        private static (int From, int To) Lines(string text, string first, string next)
        {
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            var (from, to) = (Array.IndexOf(lines, first), Array.IndexOf(lines, next));
            Assert.True(from >= 0 && to > from, $"{first} .. {next}");
            return (from, to);
        }
    }
}
