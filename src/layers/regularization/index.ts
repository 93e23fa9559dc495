export {
  SpatialDropout2D,
  GaussianNoise,
  ActivityRegularization,
  type SpatialDropout2DArgs,
  type GaussianNoiseArgs,
  type ActivityRegularizationArgs,
} from './noise.js';
