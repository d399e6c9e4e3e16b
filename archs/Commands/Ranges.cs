using System.CommandLine;
using System.Globalization;

namespace Shootdown.Archs.Commands
{
    /// <summary>Integer options with a stated range: a value outside it is one parse error (exit 2), never an exception or a hang.</summary>
    public static class Ranges
    {
        /// <summary>An option <paramref name="name"/> accepting <paramref name="min"/>..<paramref name="max"/>, default <paramref name="value"/>.</summary>
        public static Option<int> Int(string name, string description, int value, int min, int max)
        {
            return new Option<int>(name)
            {
                Description = $"{description} [{min}..{max}, default {value}]",
                DefaultValueFactory = _ => value,
                // Parsed here rather than by the default converter: a word or a number past int (99999999999) is the same
                // one-line error as a number out of range, where a validator reading the value would throw on it.
                CustomParser = result =>
                {
                    var token = result.Tokens.Count > 0 ? result.Tokens[result.Tokens.Count - 1].Value : null;
                    if (token is null) return value;
                    if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                    {
                        result.AddError($"{name} '{token}' is not a number between {min} and {max}");
                        return value;
                    }
                    if (v < min || v > max) result.AddError($"{name} {v} is out of range: it must be between {min} and {max}");
                    return v;
                },
            };
        }
    }
}
