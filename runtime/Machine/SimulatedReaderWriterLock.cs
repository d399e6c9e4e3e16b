using System;
using System.Threading;

namespace Shootdown.Simulation
{
    /// <summary>
    /// A sleeping reader/writer lock the scheduler understands (<c>mmap_lock</c>, an rwsem): readers share it, a writer
    /// excludes everyone, and a waiting writer keeps new readers out so it is not starved (as rwsem hand-off does).
    /// Taking it is a scheduling point and waiting is a <see cref="Scheduling.WaitUntil(Cpu, Func{bool}, string)"/>, so a controlled run never
    /// blocks a thread in a real lock; in direct mode a wait nobody can end is a <see cref="SimulationDeadlockException"/>;
    /// free-running CPUs spin, taking IPIs meanwhile. It does not nest: a CPU holding it in either mode may not take it
    /// again (Linux rwsems deadlock on that too once a writer queues between the two reads).
    /// </summary>
    public sealed class SimulatedReaderWriterLock
    {
        private readonly object _state = new(); // guards the three fields; never held across a scheduling point
        private long _readers;                  // bit per CPU holding it for read
        private int _writer = -1;
        private int _writersWaiting;
        private readonly long _key;

        /// <summary>A lock whose state the explorer treats as depending on everything.</summary>
        public SimulatedReaderWriterLock() : this(SharedObject.Everything)
        {
        }

        /// <summary>A lock that is the shared object <paramref name="key"/> for the explorer's dependency relation.</summary>
        internal SimulatedReaderWriterLock(long key) => _key = key;

        private void Touch(Cpu cpu) => cpu.Machine.Scheduling.Touch(_key, true);

        /// <summary>The CPU holding it for write, or -1.</summary>
        public int Writer
        {
            get { lock (_state) return _writer; }
        }

        /// <summary>The CPUs holding it for read, one bit each.</summary>
        public long Readers
        {
            get { lock (_state) return _readers; }
        }

        /// <summary>True when <paramref name="cpu"/> holds it, for read or for write (<c>mmap_assert_locked</c>).</summary>
        public bool IsHeldBy(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            cpu.Machine.Scheduling.Touch(_key, false);
            lock (_state) return _writer == cpu.Id || (_readers & (1L << cpu.Id)) != 0;
        }

        /// <summary><c>mmap_read_lock</c>: waits while a CPU writes or waits to write.</summary>
        public void EnterReadLock(Cpu cpu)
        {
            CheckNotHeld(cpu);
            cpu.Machine.Scheduling.Point(StepKind.Other);
            while (!TryRead(cpu))
                cpu.Machine.Scheduling.WaitUntil(cpu, ReadPossible, "mmap_lock for read", _key);
        }

        /// <summary><c>mmap_read_unlock</c>.</summary>
        public void ExitReadLock(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            Touch(cpu);
            lock (_state)
            {
                var bit = 1L << cpu.Id;
                if ((_readers & bit) == 0) throw new InvalidOperationException($"{cpu} releases a read lock it does not hold");
                _readers &= ~bit;
            }
            cpu.Machine.Scheduling.Point(StepKind.Other);
        }

        /// <summary><c>mmap_write_lock</c>: waits until no CPU holds it.</summary>
        public void EnterWriteLock(Cpu cpu)
        {
            CheckNotHeld(cpu);
            cpu.Machine.Scheduling.Point(StepKind.Other);
            Touch(cpu);
            lock (_state)
            {
                if (TakeWrite(cpu)) return;
                _writersWaiting++;
            }
            try
            {
                do cpu.Machine.Scheduling.WaitUntil(cpu, WritePossible, "mmap_lock for write", _key);
                while (!TryWriteWaiting(cpu));
            }
            catch
            {
                Touch(cpu);
                lock (_state)
                {
                    if (_writer != cpu.Id) _writersWaiting--;
                }
                throw;
            }
        }

        /// <summary><c>mmap_write_unlock</c>.</summary>
        public void ExitWriteLock(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            Touch(cpu);
            lock (_state)
            {
                if (_writer != cpu.Id) throw new InvalidOperationException($"{cpu} releases a write lock it does not hold (writer: {_writer})");
                _writer = -1;
            }
            cpu.Machine.Scheduling.Point(StepKind.Other);
        }

        /// <summary>
        /// <c>mmap_write_downgrade</c>: the writer becomes a reader without letting go, so readers (faults, madvise, GUP)
        /// may run beside it from here on while writers still wait.
        /// </summary>
        public void DowngradeWriteLock(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            Touch(cpu);
            lock (_state)
            {
                if (_writer != cpu.Id) throw new InvalidOperationException($"{cpu} downgrades a write lock it does not hold (writer: {_writer})");
                _writer = -1;
                _readers |= 1L << cpu.Id;
            }
            cpu.Machine.Scheduling.Point(StepKind.Other);
        }

        private void CheckNotHeld(Cpu cpu)
        {
            if (cpu is null) throw new ArgumentNullException(nameof(cpu));
            if (IsHeldBy(cpu)) throw new InvalidOperationException($"{cpu} already holds this mmap_lock (it does not nest)");
        }

        private bool ReadPossible()
        {
            lock (_state) return _writer < 0 && _writersWaiting == 0;
        }

        private bool WritePossible()
        {
            lock (_state) return _writer < 0 && _readers == 0;
        }

        private bool TryRead(Cpu cpu)
        {
            Touch(cpu);
            lock (_state)
            {
                if (_writer >= 0 || _writersWaiting != 0) return false;
                _readers |= 1L << cpu.Id;
                return true;
            }
        }

        private bool TakeWrite(Cpu cpu)
        {
            if (_writer >= 0 || _readers != 0) return false;
            _writer = cpu.Id;
            return true;
        }

        private bool TryWriteWaiting(Cpu cpu)
        {
            Touch(cpu);
            lock (_state)
            {
                if (!TakeWrite(cpu)) return false;
                _writersWaiting--;
                return true;
            }
        }
    }
}
