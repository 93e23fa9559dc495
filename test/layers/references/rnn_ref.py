# Reference values for test/layers/recurrent.test.ts, computed with PyTorch 1.13 in float64.
# Weights are filled deterministically and converted from Keras' layouts to torch's.
import numpy as np, torch
torch.set_default_dtype(torch.float64)
B,T,F,U=2,4,3,2
def fill(shape,k):
    n=int(np.prod(shape)); i=np.arange(n); return (0.5*np.sin(0.7*i+1.3*k+0.2)).reshape(shape)
x=(0.8*np.sin(0.37*np.arange(B*T*F)+0.5)).reshape(B,T,F); X=torch.tensor(x)
def fmt(a): return '['+', '.join('%.12g'%v for v in np.asarray(a).ravel())+']'
def simple(k0=0):
    K,R,b=fill((F,U),k0),fill((U,U),k0+1),fill((U,),k0+2); m=torch.nn.RNN(F,U,batch_first=True)
    m.weight_ih_l0.data=torch.tensor(K.T); m.weight_hh_l0.data=torch.tensor(R.T)
    m.bias_ih_l0.data=torch.tensor(b); m.bias_hh_l0.data=torch.zeros(U); return m
def lstm(k0=0):
    K,R,b=fill((F,4*U),k0),fill((U,4*U),k0+1),fill((4*U,),k0+2); m=torch.nn.LSTM(F,U,batch_first=True)
    m.weight_ih_l0.data=torch.tensor(K.T); m.weight_hh_l0.data=torch.tensor(R.T)
    m.bias_ih_l0.data=torch.tensor(b); m.bias_hh_l0.data=torch.zeros(4*U); return m
def reorder(w): return np.concatenate([w[...,U:2*U],w[...,0:U],w[...,2*U:]],axis=-1)  # z,r,h -> r,z,n
def gru(k0=0):
    K,R,b=fill((F,3*U),k0),fill((U,3*U),k0+1),fill((2,3*U),k0+2); m=torch.nn.GRU(F,U,batch_first=True)
    m.weight_ih_l0.data=torch.tensor(reorder(K).T); m.weight_hh_l0.data=torch.tensor(reorder(R).T)
    m.bias_ih_l0.data=torch.tensor(reorder(b[0])); m.bias_hh_l0.data=torch.tensor(reorder(b[1])); return m
with torch.no_grad():
    y,h=simple()(X); print('simple_rnn seq', fmt(y))
    y,(h,c)=lstm()(X); print('lstm seq', fmt(y), fmt(h), fmt(c))
    y,h=gru()(X); print('gru resetAfter seq', fmt(y))
    y,_=lstm()(torch.flip(X,[1])); print('lstm goBackwards seq', fmt(y))
    mask=np.array([[1,1,0,1],[1,0,0,1]],bool); m=lstm(); cell=torch.nn.LSTMCell(F,U)
    cell.weight_ih.data=m.weight_ih_l0.data; cell.weight_hh.data=m.weight_hh_l0.data
    cell.bias_ih.data=m.bias_ih_l0.data; cell.bias_hh.data=m.bias_hh_l0.data
    h=torch.zeros(B,U); c=torch.zeros(B,U); prev=torch.zeros(B,U); outs=[]
    for t in range(T):
        h2,c2=cell(X[:,t],(h,c)); keep=torch.tensor(mask[:,t])[:,None]
        h=torch.where(keep,h2,h); c=torch.where(keep,c2,c); o=torch.where(keep,h2,prev); prev=o; outs.append(o)
    print('lstm masked seq', fmt(torch.stack(outs,1)), fmt(c))
    f=lstm(0); b=lstm(3); yf,_=f(X); yb,_=b(torch.flip(X,[1])); print('bidi', fmt(yf), fmt(torch.flip(yb,[1])))
K,R,b=fill((F,3*U),0),fill((U,3*U),1),fill((3*U,),2); sig=lambda v:1/(1+np.exp(-v)); h=np.zeros((B,U)); outs=[]
for t in range(T):
    xp=x[:,t]@K+b; z=sig(xp[:,:U]+h@R[:,:U]); r=sig(xp[:,U:2*U]+h@R[:,U:2*U])
    hh=np.tanh(xp[:,2*U:]+(r*h)@R[:,2*U:]); h=z*h+(1-z)*hh; outs.append(h)
print('gru resetBefore seq', fmt(np.stack(outs,1)))
h0=torch.tensor((0.3*np.cos(0.9*np.arange(B*U))).reshape(1,B,U)); c0=torch.tensor((0.2*np.sin(1.1*np.arange(B*U)+0.3)).reshape(1,B,U))
with torch.no_grad():
    y,(h,c)=lstm()(X,(h0,c0)); print('lstm init', fmt(y), fmt(c)); y,h=gru()(X,h0); print('gru init last', fmt(h))
