export {
  UpSampling2D,
  ZeroPadding2D,
  Cropping2D,
  type UpSampling2DArgs,
  type ZeroPadding2DArgs,
  type Cropping2DArgs,
  type Margins2D,
  type Margins2DSpec,
} from './spatial.js';
