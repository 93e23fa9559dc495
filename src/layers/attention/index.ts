export {
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
  type AttendOptions,
} from './multi-head-attention.js';
