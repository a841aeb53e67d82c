import type { AppContext } from '../context.js';

export interface Progress {
  update(text: string): void;
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on stderr, only when stderr is a terminal; otherwise it prints nothing. */
export function createProgress(ctx: AppContext): Progress {
  if (!ctx.stderrIsTTY) return { update: () => undefined, done: () => undefined };
  let frame = 0;
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    ctx.stderr.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${text}`);
    frame++;
  };
  return {
    update(next) {
      text = next;
      draw();
      if (!timer) {
        timer = setInterval(draw, 80);
        timer.unref();
      }
    },
    done() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (text) ctx.stderr.write('\r\x1b[2K');
      text = '';
    },
  };
}
