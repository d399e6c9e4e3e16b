using System.CommandLine;

namespace Shootdown.Archs.Commands
{
    /// <summary>Integer options with a stated range: a value outside it is one parse error (exit 2), never an exception or a hang.</summary>
    public static class Ranges
    {
        /// <summary>An option <paramref name="name"/> accepting <paramref name="min"/>..<paramref name="max"/>, default <paramref name="value"/>.</summary>
        public static Option<int> Int(string name, string description, int value, int min, int max)
        {
            var option = new Option<int>(name) { Description = $"{description} [{min}..{max}, default {value}]", DefaultValueFactory = _ => value };
            option.Validators.Add(result =>
            {
                var v = result.GetValueOrDefault<int>();
                if (v < min || v > max) result.AddError($"{name} {v} is out of range: it must be between {min} and {max}");
            });
            return option;
        }
    }
}
