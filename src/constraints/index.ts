export {
  Constraint,
  MaxNorm,
  NonNeg,
  UnitNorm,
  MinMaxNorm,
  maxNorm,
  nonNeg,
  unitNorm,
  minMaxNorm,
  getConstraint,
  serializeConstraint,
  type ConstraintIdentifier,
} from './constraints.js';
