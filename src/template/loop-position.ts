/**
 * Where an item stands in its loop, with Jinja2's names: the fields Jinja's `loop` and Ansible's
 * `ansible_loop` (loop_control.extended) share.
 */
export interface LoopPosition {
  readonly index: number;
  readonly index0: number;
  readonly revindex: number;
  readonly revindex0: number;
  readonly first: boolean;
  readonly last: boolean;
  readonly length: number;
}

export function loopPosition(length: number, index: number): LoopPosition {
  return { index: index + 1, index0: index, revindex: length - index, revindex0: length - index - 1, first: index === 0, last: index === length - 1, length };
}
