using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Shootdown.Package.Tests.Harness
{
    /// <summary>What a dotnet command printed and how it ended.</summary>
    public sealed record CommandResult(string Command, int ExitCode, string Output)
    {
        public override string ToString() => $"dotnet {Command} -> {ExitCode}\n{Output}";
    }

    /// <summary>Runs the dotnet CLI as a child process with a time limit, in English, without MSBuild state from the test host.</summary>
    internal static class Dotnet
    {
        public static CommandResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
            Program(Executable(), workingDirectory, timeout, arguments);

        /// <summary>Runs <paramref name="executable"/> (an installed tool, say) with the same environment and time limit.</summary>
        public static CommandResult Program(string executable, string workingDirectory, TimeSpan timeout, string[] arguments)
        {
            var info = StartInfo(executable, workingDirectory, arguments);
            var output = new StringBuilder();
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took more than {timeout.TotalSeconds} s\n{output}");
            }
            process.WaitForExit();
            lock (output) return new CommandResult(string.Join(' ', arguments), process.ExitCode, output.ToString());
        }

        /// <summary>
        /// How to start <paramref name="executable"/> with stdout and stderr redirected, in English, and without the test host's
        /// MSBuild and VSTest variables, which would point a child's MSBuild at the test run's own build.
        /// </summary>
        public static ProcessStartInfo StartInfo(string executable, string workingDirectory, IEnumerable<string> arguments)
        {
            var info = new ProcessStartInfo(executable)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                var name = (string)variable.Key;
                if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                    info.Environment.Remove(name);
            }
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            info.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            return info;
        }

        /// <summary>The dotnet host running the tests when the SDK says which it is, else the one on PATH.</summary>
        private static string Executable()
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && System.IO.File.Exists(host) ? host : "dotnet";
        }
    }
}
