/**
 * The fused model's modalities (slots) and each encoder's deployment options, and the plans over them:
 * one option per slot, every combination but the one that runs no encoder at all.
 */

/** The modalities of the fused model, in feature order. */
export const FUSED_ORDER = ['superior', 'weak'] as const;
export type Slot = (typeof FUSED_ORDER)[number];
export const ENCODER_OPTIONS = ['int8', 'mixed-8/4', 'skip'] as const;
export type EncoderOption = (typeof ENCODER_OPTIONS)[number];
/** The options that run an encoder (each has a QModel). */
export type ExportedOption = Exclude<EncoderOption, 'skip'>;
/** One option per slot: a plan of the fused deployment. */
export type Choice = Record<Slot, EncoderOption>;

/** The slot whose feature stands in for `m`'s when `m` is skipped (two slots: the other one). */
export const otherSlot = (m: Slot): Slot => (m === 'superior' ? 'weak' : 'superior');

/** Every plan, superior-major in option order, but skip|skip: the head needs at least one real feature. */
export const validChoices = (): Choice[] =>
  ENCODER_OPTIONS.flatMap((a) => ENCODER_OPTIONS.map((b): Choice => ({ superior: a, weak: b }))).filter(
    (c) => c.superior !== 'skip' || c.weak !== 'skip',
  );

/** A plan's key in maps (`int8|skip`). */
export const choiceKey = (c: Choice): string => `${c.superior}|${c.weak}`;

/** Both encoders in int8: the reference every option's value is measured against. */
export const REFERENCE: Choice = { superior: 'int8', weak: 'int8' };

/** `m` takes option `o`, the other slot stays int8: the plan that values one option (docs/methods.md §3). */
export const alone = (m: Slot, o: EncoderOption): Choice => ({ ...REFERENCE, [m]: o });
