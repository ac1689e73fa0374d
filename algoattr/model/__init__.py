"""PyMC models of algorithmic progress: pure builders returning ``pm.Model`` and a results object.

- :func:`create_lm_model`: Ho et al. 2024's augmented scaling law for language models, with
  benchmark constants partially pooled and variants for model comparison.
- :func:`create_imagenet_model`: Erdil & Besiroglu 2022's two-sigmoid ImageNet law.
- :class:`FitResult`: posterior (ArviZ InferenceData), rows used, exclusions, diagnostics,
  ``summary()``, ``save()`` / ``load()``.
"""

from algoattr.model.design import ImageNetDesign, LMDesign, SelectionRules, select_rows
from algoattr.model.imagenet import IMAGENET_PARAMS, create_imagenet_model
from algoattr.model.lm import LIKELIHOODS, LM_VARIANTS, create_lm_model
from algoattr.model.priors import IMAGENET_PRIORS, LM_PRIORS
from algoattr.model.results import LM_PARAMS, FitResult
from algoattr.model.sampling import Diagnostics, SamplerSettings, diagnose, sample

__all__ = [
    "IMAGENET_PARAMS",
    "IMAGENET_PRIORS",
    "LIKELIHOODS",
    "LM_PARAMS",
    "LM_PRIORS",
    "LM_VARIANTS",
    "Diagnostics",
    "FitResult",
    "ImageNetDesign",
    "LMDesign",
    "SamplerSettings",
    "SelectionRules",
    "create_imagenet_model",
    "create_lm_model",
    "diagnose",
    "sample",
    "select_rows",
]
