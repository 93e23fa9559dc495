"""Reference values for test/optimizers/*.test.ts: Keras 3's update_step formulas transcribed
into float64 numpy (keras/src/optimizers/*.py, base_optimizer.py), run on the tests' fixed
weights and gradients. Run with `python3 test/optimizers/keras_reference.py`; CI never runs it.
"""
import numpy as np

np.set_printoptions(precision=17)
P0 = np.array([0.5, -1.2, 2.0])
GRADS = [np.array([0.1, -0.3, 0.7]), np.array([-0.2, 0.05, 0.4]), np.array([0.3, 0.3, -0.1])]


def run(step_fn, state, lr=0.1, wd=None, clip=None, ema=None):
    p = P0.copy()
    out = []
    avg = np.zeros_like(p)
    for t, g in enumerate(GRADS):  # t = iterations before the step
        g = g.copy()
        if clip is not None:
            g = clip(g)
        if wd is not None:
            p = p - p * wd * lr
        p = step_fn(p, g, state, t, lr)
        if ema is not None:
            m = 0.0 if t == 0 else ema
            avg = m * avg + (1 - m) * p
        out.append(p.copy())
    return out, avg


def sgd(momentum=0.0, nesterov=False):
    def f(p, g, s, t, lr):
        if momentum == 0:
            return p - lr * g
        s['m'] = momentum * s.get('m', 0) - lr * g
        return p + momentum * s['m'] - lr * g if nesterov else p + s['m']
    return f


def adam(b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    def f(p, g, s, t, lr):
        step = t + 1
        alpha = lr * np.sqrt(1 - b2**step) / (1 - b1**step)
        s['m'] = s.get('m', 0) + (g - s.get('m', 0)) * (1 - b1)
        s['v'] = s.get('v', 0) + (g * g - s.get('v', 0)) * (1 - b2)
        v = s['v']
        if amsgrad:
            s['vh'] = np.maximum(s.get('vh', 0), s['v'])
            v = s['vh']
        return p - s['m'] * alpha / (np.sqrt(v) + eps)
    return f


def rmsprop(rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    def f(p, g, s, t, lr):
        s['v'] = rho * s.get('v', 0) + (1 - rho) * g * g
        if centered:
            s['a'] = rho * s.get('a', 0) + (1 - rho) * g
            den = s['v'] - s['a'] ** 2 + eps
        else:
            den = s['v'] + eps
        inc = lr * g / np.sqrt(den)
        if momentum > 0:
            s['m'] = momentum * s.get('m', 0) + inc
            return p - s['m']
        return p - inc
    return f


def adagrad(init=0.1, eps=1e-7):
    def f(p, g, s, t, lr):
        s['a'] = s.get('a', init) + g * g
        return p - lr * g / np.sqrt(s['a'] + eps)
    return f


def adadelta(rho=0.95, eps=1e-7):
    def f(p, g, s, t, lr):
        s['g'] = rho * s.get('g', 0) + (1 - rho) * g * g
        d = -np.sqrt(s.get('d', 0) + eps) * g / np.sqrt(s['g'] + eps)
        s['d'] = rho * s.get('d', 0) + (1 - rho) * d * d
        return p + lr * d
    return f


def adamax(b1=0.9, b2=0.999, eps=1e-7):
    def f(p, g, s, t, lr):
        b1p = b1 ** (t + 1)
        s['m'] = s.get('m', 0) + (g - s.get('m', 0)) * (1 - b1)
        s['u'] = np.maximum(b2 * s.get('u', 0), np.abs(g))
        return p - lr * s['m'] / ((1 - b1p) * (s['u'] + eps))
    return f


def nadam(b1=0.9, b2=0.999, eps=1e-7):
    def f(p, g, s, t, lr):
        s['up'] = s.get('up', 1.0) * b1 * (1 - 0.5 * 0.96 ** (t + 1))
        local, nxt = t + 1, t + 2
        u_t = b1 * (1 - 0.5 * 0.96**local)
        u_t1 = b1 * (1 - 0.5 * 0.96**nxt)
        up = s['up']
        up1 = up * u_t1
        s['m'] = s.get('m', 0) + (g - s.get('m', 0)) * (1 - b1)
        s['v'] = s.get('v', 0) + (g * g - s.get('v', 0)) * (1 - b2)
        m_hat = u_t1 * s['m'] / (1 - up1) + (1 - u_t) * g / (1 - up)
        v_hat = s['v'] / (1 - b2**local)
        return p - m_hat * lr / (np.sqrt(v_hat) + eps)
    return f


def lion(b1=0.9, b2=0.99):
    def f(p, g, s, t, lr):
        m = s.get('m', 0)
        p = p - lr * np.sign(m * b1 + g * (1 - b1))
        s['m'] = m * b2 + g * (1 - b2)
        return p
    return f


def clipnorm(c):
    return lambda g: g * c / max(np.sqrt(np.sum(g * g)), c)


def show(name, result):
    steps, avg = result
    print(name)
    for p in steps:
        print('  [' + ', '.join(repr(float(x)) for x in p) + '],')


show('sgd', run(sgd(), {}))
show('sgd momentum 0.9', run(sgd(0.9), {}))
show('sgd nesterov 0.9', run(sgd(0.9, True), {}))
show('adam', run(adam(), {}))
show('adam beta2 0.5', run(adam(b2=0.5), {}))
show('adam beta2 0.5 amsgrad', run(adam(b2=0.5, amsgrad=True), {}))
show('adamw wd 0.004 (lr 0.1)', run(adam(), {}, wd=0.004))
show('rmsprop', run(rmsprop(), {}))
show('rmsprop momentum 0.5 centered', run(rmsprop(momentum=0.5, centered=True), {}))
show('adagrad', run(adagrad(), {}))
show('adadelta lr 1', run(adadelta(), {}, lr=1.0))
show('adamax', run(adamax(), {}))
show('nadam', run(nadam(), {}))
show('lion', run(lion(), {}))
show('sgd wd 0.1', run(sgd(), {}, wd=0.1))
show('sgd clipnorm 0.5', run(sgd(), {}, clip=clipnorm(0.5)))
show('sgd clipvalue 0.25', run(sgd(), {}, clip=lambda g: np.clip(g, -0.25, 0.25)))
steps, avg = run(sgd(), {}, ema=0.9)
print('sgd ema 0.9 average after 3 steps', [float(x) for x in avg])
