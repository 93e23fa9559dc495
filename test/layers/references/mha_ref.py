# Reference values for test/layers/attention.test.ts, computed with PyTorch 1.13 in float64
# from Keras 3's MultiHeadAttention equations (EinsumDense projections, query scaled by 1/sqrt(keyDim)).
import numpy as np, torch
torch.set_default_dtype(torch.float64)
B,T,S,DQ,DV,DK,H,KD,VD=2,3,4,5,6,3,2,3,2
def fill(shape,k):
    n=int(np.prod(shape)); i=np.arange(n); return torch.tensor((0.5*np.sin(0.7*i+1.3*k+0.2)).reshape(shape))
def seq(shape,a,b,c,f=np.sin): n=int(np.prod(shape)); return torch.tensor((a*f(b*np.arange(n)+c)).reshape(shape))
q_in=seq((B,T,DQ),0.8,0.37,0.5); v_in=seq((B,S,DV),0.8,0.29,0.1,np.cos); k_in=seq((B,S,DK),0.6,0.53,-0.4)
def fmt(a): return '['+', '.join('%.12g'%v for v in np.asarray(a).ravel())+']'
def weights(dq,dk,dv,out):
    return [fill(s,k) for k,s in enumerate([(dq,H,KD),(H,KD),(dk,H,KD),(H,KD),(dv,H,VD),(H,VD),(H,VD,out),(out,)])]
def mha(q_in,v_in,k_in,W,mask=None):
    Wq,bq,Wk,bk,Wv,bv,Wo,bo=W
    q=torch.einsum('btd,dhk->bhtk',q_in,Wq)+bq[None,:,None,:]; k=torch.einsum('bsd,dhk->bhsk',k_in,Wk)+bk[None,:,None,:]
    v=torch.einsum('bsd,dhk->bhsk',v_in,Wv)+bv[None,:,None,:]; sc=torch.einsum('bhtk,bhsk->bhts',q/np.sqrt(KD),k)
    if mask is not None: m=mask[:,None].double(); p=torch.softmax(sc+(1-m)*-1e9,-1)*m
    else: p=torch.softmax(sc,-1)
    return torch.einsum('bhtv,hvo->bto',torch.einsum('bhts,bhsv->bhtv',p,v),Wo)+bo, p
W=weights(DQ,DK,DV,DQ); y,p=mha(q_in,v_in,k_in,W); print('cross', fmt(y), fmt(p))
am=torch.tensor([[[1,1,0,1],[0,1,1,1],[1,0,0,0]],[[1,1,1,1],[1,0,1,0],[0,0,0,0]]],dtype=torch.bool)
y,p=mha(q_in,v_in,k_in,W,am); print('masked', fmt(y), fmt(p))
W=weights(DQ,DQ,DQ,4); cm=torch.tril(torch.ones(T,T,dtype=torch.bool))[None].expand(B,T,T)
y,p=mha(q_in,q_in,q_in,W,cm); print('causal', fmt(y), fmt(p))
