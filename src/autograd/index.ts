import './engine.js';

export { noGrad, isGradEnabled } from './engine.js';
export { grad, valueAndGrad } from './functional.js';
