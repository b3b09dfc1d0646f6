/** The labelled evaluation set and its scorer (bench:classify); not part of the runtime API. */
export { generateEvalSet, EVAL_CLASSES, rng, type EvalCase } from './generator.js';
export { evaluate, evaluateCase, evaluationSet, capturedCases, naiveBaseline, type EvalReport, type EvalResult } from './evaluate.js';
