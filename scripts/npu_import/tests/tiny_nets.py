"""Small torchvision-style networks for the importer tests (random weights, seconds to run).

TinyResNet is torchvision's ResNet at 8/16 channels: the same stem (conv, BN, ReLU, 3x3/s2
max pool), torchvision's own BasicBlock (in-place `out += identity`, one shared ReLU), a
downsampling block, adaptive average pool, torch.flatten and a Linear classifier.
"""

import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock


def _randomize_bn(model, seed):
    gen = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.rand(n, generator=gen) * 0.2 - 0.1)
            m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=gen) * 0.7 + 0.3)
            m.bias.data.copy_(torch.rand(n, generator=gen) * 0.2 - 0.1)


class TinyResNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = BasicBlock(8, 8)
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.layer2 = BasicBlock(8, 16, stride=2, downsample=down)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


class TinyAvgPoolNet(nn.Module):
    """Conv, 2x2 average pool, x.view(N, -1) and a Linear over the 4x4x8 map (CHW order)."""

    def __init__(self, num_classes=5):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, 2, 1)
        self.relu = nn.ReLU()
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 4 * 4, num_classes)

    def forward(self, x):
        x = self.pool(self.relu(self.conv(x)))
        return self.fc(x.view(x.size(0), -1))


class WithSigmoid(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.sig = nn.Sigmoid()

    def forward(self, x):
        return self.sig(self.conv(x))


class GroupedConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, groups=2)

    def forward(self, x):
        return self.conv(x)


class GroupedConvRGB(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, groups=3)

    def forward(self, x):
        return self.conv(x)


class ConvReLU6(nn.Module):
    """Conv + ReLU6 + global pool + Linear; `gain` scales the conv weights, so its output
    range ends below 6 (gain 0.1: the ReLU6 is exact in int8) or far above (gain 50)."""

    def __init__(self, gain=0.1):
        super().__init__()
        torch.manual_seed(1)
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.conv.weight.data *= gain
        self.act = nn.ReLU6()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.act(self.conv(x))), 1))


def conv_relu6_small():
    return ConvReLU6(0.1)


def conv_relu6_large():
    return ConvReLU6(50.0)


class PadConvNet(nn.Module):
    """F.pad before a conv, a padded 3x3/s2 average pool: torch.onnx.export writes Pad nodes
    (with a chain of constant shape arithmetic) that fold into the conv and the pool."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(2)
        self.c = nn.Conv2d(3, 4, 3)
        self.p = nn.AvgPool2d(3, 2, padding=1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = self.p(torch.relu(self.c(nn.functional.pad(x, (1, 1, 1, 1)))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def tiny_resnet(seed=0, num_classes=10):
    torch.manual_seed(seed)
    model = TinyResNet(num_classes)
    _randomize_bn(model, seed)
    return model.eval()


def tiny_avgpool_net(seed=0):
    torch.manual_seed(seed)
    return TinyAvgPoolNet().eval()
