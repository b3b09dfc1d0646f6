/** The labelled evaluation set and its scorer (bench:classify); not part of the runtime API. */
export { generateEvalSet, EVAL_CLASSES, rng, withSettings, SETTINGS_SCENARIOS, type EvalCase, type SettingsScenario } from './generator.js';
export { shuffle } from './evaluate.js';
export { evaluate, evaluateCase, evaluateScenarios, orderStability, classifyAsOf, evaluationSet, capturedCases, naiveBaseline, type EvalReport, type EvalResult } from './evaluate.js';
