"""Package discovery: every package under kg/, plus ontology/ installed as kg.ontology.

The metadata lives in pyproject.toml; this file only says where the packages are, because
the ontology folder sits at the top of the repository and pyproject.toml cannot map a
folder outside kg/ while discovering the rest.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["kg", "kg.*"], exclude=["*.__pycache__"]),
        "kg.ontology",
        "kg.ontology.queries",
    ],
    package_dir={"kg.ontology": "ontology", "kg.ontology.queries": "ontology/queries"},
)
