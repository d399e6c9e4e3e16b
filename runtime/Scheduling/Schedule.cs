using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Shootdown.Simulation
{
    /// <summary>
    /// The CPU chosen at each decision of a controlled run, in order. Only points where more than one CPU could move are
    /// decisions. Printed as CPU ids joined by dots (<c>"0.0.1.1.0"</c>; the empty schedule is <c>""</c>) and parsed back.
    /// </summary>
    public sealed class Schedule : IEquatable<Schedule>
    {
        private readonly int[] _choices;

        /// <summary>A schedule choosing <paramref name="choices"/> in order.</summary>
        public Schedule(IEnumerable<int> choices)
        {
            if (choices is null) throw new ArgumentNullException(nameof(choices));
            _choices = new List<int>(choices).ToArray();
            foreach (var c in _choices)
            {
                if (c < 0 || c > 63) throw new ArgumentOutOfRangeException(nameof(choices), c, "a CPU id is 0 to 63");
            }
        }

        /// <summary>The schedule that chooses nothing: the default policy decides everything.</summary>
        public static Schedule Empty { get; } = new(Array.Empty<int>());

        /// <summary>Decisions in the schedule.</summary>
        public int Count => _choices.Length;

        /// <summary>The CPU chosen at decision <paramref name="index"/>.</summary>
        public int this[int index] => _choices[index];

        /// <summary>The first <paramref name="count"/> decisions.</summary>
        public Schedule Prefix(int count) => new(new ArraySegment<int>(_choices, 0, Math.Min(count, _choices.Length)));

        /// <summary>This schedule followed by <paramref name="cpu"/>.</summary>
        public Schedule Then(int cpu)
        {
            var next = new int[_choices.Length + 1];
            _choices.CopyTo(next, 0);
            next[^1] = cpu;
            return new Schedule(next);
        }

        /// <summary>Parses <c>"0.1.1"</c>; throws <see cref="FormatException"/> naming the bad part.</summary>
        public static Schedule Parse(string text)
        {
            if (!TryParse(text, out var schedule, out var error)) throw new FormatException(error);
            return schedule;
        }

        /// <summary>Parses <c>"0.1.1"</c>; false with a reason when <paramref name="text"/> is not a schedule.</summary>
        public static bool TryParse(string? text, out Schedule schedule, out string error)
        {
            schedule = Empty;
            error = "";
            if (text is null)
            {
                error = "a schedule cannot be null";
                return false;
            }
            text = text.Trim();
            if (text.Length == 0) return true;
            var parts = text.Split('.');
            var choices = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i];
                if (part.Length == 0 || part.Length > 2 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu) || cpu > 63)
                {
                    error = $"schedule '{text}': decision {i} is '{part}', not a CPU id 0..63";
                    return false;
                }
                choices[i] = cpu;
            }
            schedule = new Schedule(choices);
            return true;
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            var b = new StringBuilder();
            for (var i = 0; i < _choices.Length; i++)
            {
                if (i > 0) b.Append('.');
                b.Append(_choices[i].ToString(CultureInfo.InvariantCulture));
            }
            return b.ToString();
        }

        /// <inheritdoc/>
        public bool Equals(Schedule? other) => other is not null && _choices.AsSpan().SequenceEqual(other._choices);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => Equals(obj as Schedule);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var c in _choices) h.Add(c);
            return h.ToHashCode();
        }
    }
}
