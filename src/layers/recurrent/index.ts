export {
  RNNCell,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  type CellArgs,
  type LSTMCellArgs,
  type GRUCellArgs,
} from './cells.js';
export {
  RNN,
  SimpleRNN,
  LSTM,
  GRU,
  type RNNArgs,
  type SimpleRNNArgs,
  type LSTMArgs,
  type GRUArgs,
} from './rnn.js';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './bidirectional.js';
