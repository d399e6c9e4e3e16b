using System.Diagnostics;
using System.IO;

namespace Shootdown.Archs.Commands
{
    /// <summary><c>check --project X.csproj</c>: builds the project in Release and finds the assembly it produced.</summary>
    public static class ProjectBuild
    {
        /// <summary>Builds <paramref name="project"/>; false with one line when the build fails or names no assembly.</summary>
        public static bool TryBuild(string project, TextWriter log, out string assembly, out string error)
        {
            assembly = "";
            var full = Path.GetFullPath(project);
            if (!File.Exists(full))
            {
                error = $"no project at '{full}'";
                return false;
            }
            log.WriteLine($"building {Path.GetFileName(full)} (Release)...");
            var (code, output) = Dotnet("build", $"\"{full}\"", "-c", "Release", "-nologo", "-v", "q");
            if (code != 0)
            {
                error = $"dotnet build {Path.GetFileName(full)} failed (exit {code}): {FirstError(output)}";
                return false;
            }
            (code, output) = Dotnet("msbuild", $"\"{full}\"", "-getProperty:TargetPath", "-p:Configuration=Release", "-nologo");
            assembly = output.Trim();
            if (code != 0 || !File.Exists(assembly))
            {
                error = $"dotnet build {Path.GetFileName(full)} produced no assembly at '{assembly}'";
                return false;
            }
            error = "";
            return true;
        }

        private static string FirstError(string output)
        {
            foreach (var line in output.Split('\n'))
            {
                if (line.Contains(": error ")) return line.Trim();
            }
            return output.Trim().Split('\n')[^1];
        }

        private static (int Code, string Output) Dotnet(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet", string.Join(' ', args)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
    }
}
