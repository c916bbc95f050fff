/**
 * A few lines at the bottom of a terminal, redrawn in place with ANSI cursor moves, with
 * ordinary output printed above them. Redraws are throttled (at most one per `intervalMs`),
 * so a burst of events costs one redraw, and lines are cut to the terminal's width so none
 * wraps (a wrapped line would break the count of lines to move back over).
 */
import { stripVTControlCharacters } from "node:util";

export interface Terminal {
  write(text: string): void;
  /** Current width in columns; undefined when unknown. */
  readonly columns?: number | undefined;
}

export interface LiveRegion {
  /**
   * Replaces the region's lines; drawn at the next tick. A function is called only when the
   * region is drawn (at most once per interval), however many updates came in between.
   */
  update(lines: readonly string[] | (() => readonly string[])): void;
  /** Prints text above the region (the text should end in a newline). */
  print(text: string): void;
  /** Erases the region and stops redrawing; later output is plain. */
  finish(): void;
}

const ESC = "\u001b[";
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

export function liveRegion(terminal: Terminal, intervalMs = 100): LiveRegion {
  let wanted: readonly string[] | (() => readonly string[]) = [];
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let finished = false;

  const erase = (): string => eraseLines(drawn);
  const draw = (): string => {
    const width = Math.max(20, (terminal.columns ?? 80) - 1);
    const lines = typeof wanted === "function" ? wanted() : wanted;
    drawn = lines.length;
    return lines.map((line) => fit(line, width)).join("\n");
  };
  const redraw = (): void => {
    dirty = false;
    terminal.write(erase() + draw());
  };
  const schedule = (): void => {
    dirty = true;
    if (timer !== undefined || finished) return;
    redraw();
    // The first change draws at once; changes within the interval wait for its end.
    timer = setInterval(() => {
      if (dirty) redraw();
      else {
        clearInterval(timer);
        timer = undefined;
      }
    }, intervalMs);
    timer.unref();
  };

  // A second Ctrl-C exits at once: the cursor must not stay hidden.
  const restoreCursor = (): void => terminal.write(SHOW_CURSOR);
  process.once("exit", restoreCursor);
  terminal.write(HIDE_CURSOR);
  return {
    update(lines) {
      wanted = typeof lines === "function" ? lines : [...lines];
      schedule();
    },
    print(text) {
      if (finished) {
        terminal.write(text);
        return;
      }
      const cleared = erase();
      drawn = 0;
      terminal.write(cleared + text + draw());
    },
    finish() {
      if (finished) return;
      finished = true;
      process.off("exit", restoreCursor);
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      terminal.write(erase() + SHOW_CURSOR);
      drawn = 0;
    },
  };
}

/**
 * Moves from the region's last line to its first, blanking each line on the way. Erasing line
 * by line, not with "erase below" (ESC [J): tmux pushes the whole screen into its scrollback
 * when that is cleared from the top-left corner, which would keep every frame there.
 */
export function eraseLines(count: number): string {
  if (count === 0) return "";
  return `\r${ESC}2K${`${ESC}1A${ESC}2K`.repeat(count - 1)}`;
}

/** Cuts a line to `width` visible columns; a coloured line that is too long loses its colour. */
export function fit(line: string, width: number): string {
  const plain = stripVTControlCharacters(line);
  if (plain.length <= width) return line;
  return `${plain.slice(0, width - 1)}…`;
}
